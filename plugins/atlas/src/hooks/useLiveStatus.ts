import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ClusterConnection,
  InstanceStatus,
  PlatformItem,
  StatusEvent,
  WorkspaceStatus,
  WorkspaceSummary,
} from '@mini-atlas/plugin-atlas-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { atlasStatusApiRef } from '../api';

/**
 * What a live view holds: the last value, the cluster connection, and the error of the last
 * load (the last value stays shown while a refetch fails).
 *
 * @public
 */
export interface LiveState<T> {
  value?: T;
  cluster?: ClusterConnection;
  loading: boolean;
  error?: Error;
}

function useLive<T>(
  load: () => Promise<{ value: T; cluster: ClusterConnection }>,
  /** Whether an event concerns this view; `patch` may update the value without a refetch. */
  onEvent: (
    event: StatusEvent,
    current: T | undefined,
  ) => { refetch: boolean; patch?: T },
  deps: unknown[],
): LiveState<T> {
  const api = useApi(atlasStatusApiRef);
  const [state, setState] = useState<LiveState<T>>({ loading: true });
  const latest = useRef<T | undefined>(undefined);
  const generation = useRef(0);

  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stableLoad = useCallback(load, deps);

  const refetch = useCallback(() => {
    const mine = ++generation.current;
    stableLoad().then(
      ({ value, cluster }) => {
        if (mine !== generation.current) return;
        latest.current = value;
        setState({ value, cluster, loading: false });
      },
      error => {
        if (mine !== generation.current) return;
        setState(s => ({ ...s, loading: false, error }));
      },
    );
  }, [stableLoad]);

  useEffect(() => {
    latest.current = undefined;
    setState({ loading: true });
    refetch();
    const unsubscribe = api.subscribe(event => {
      if (event.type === 'cluster' || event.type === 'hello') {
        setState(s => ({ ...s, cluster: event.cluster }));
        if (event.type === 'cluster') refetch();
        return;
      }
      const { refetch: again, patch } = onEvent(event, latest.current);
      if (patch) {
        latest.current = patch;
        setState(s => ({ ...s, value: patch }));
      }
      if (again) refetch();
    });
    return () => {
      generation.current += 1;
      unsubscribe();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, refetch]);

  return state;
}

/**
 * The Platform page's data: every workspace and the platform objects it stands on.
 *
 * @public
 */
export interface PlatformOverview {
  items: WorkspaceSummary[];
  platform: PlatformItem[];
}

/**
 * Every workspace, kept current by the push channel: changed summaries are patched in place,
 * anything else refetches.
 *
 * @public
 */
export function useLiveWorkspaces(): LiveState<PlatformOverview> {
  const api = useApi(atlasStatusApiRef);
  return useLive(
    async () => {
      const { items, platform, cluster } = await api.listWorkspaces();
      return { value: { items, platform: platform ?? [] }, cluster };
    },
    (event, current) => {
      if (event.type !== 'changed') return { refetch: false };
      const summaries = event.summaries ?? [];
      const complete =
        !event.all &&
        current !== undefined &&
        event.workspaces.every(name => summaries.some(s => s.name === name));
      if (!complete) return { refetch: true };
      const byName = new Map(summaries.map(s => [s.name, s]));
      const known = new Set(current!.items.map(w => w.name));
      const patched = current!.items.map(w => byName.get(w.name) ?? w);
      const added = summaries.filter(s => !known.has(s.name));
      return {
        refetch: false,
        patch: {
          ...current!,
          items: [...patched, ...added].sort((a, b) =>
            a.name.localeCompare(b.name),
          ),
        },
      };
    },
    [api],
  );
}

/**
 * One workspace with its requests' stages, refetched when the push channel says it changed.
 *
 * @public
 */
export function useLiveWorkspace(name: string): LiveState<WorkspaceStatus> {
  const api = useApi(atlasStatusApiRef);
  return useLive(
    async () => {
      const { item, cluster } = await api.getWorkspace(name);
      return { value: item, cluster };
    },
    event => ({
      refetch:
        event.type === 'changed' &&
        (Boolean(event.all) || event.workspaces.includes(name)),
    }),
    [api, name],
  );
}

/**
 * One request with its children, refetched when its workspace changes.
 *
 * @public
 */
export function useLiveInstance(
  workspace: string,
  kind: string,
  name: string,
): LiveState<InstanceStatus> {
  const api = useApi(atlasStatusApiRef);
  return useLive(
    async () => {
      const { item, cluster } = await api.getInstance(workspace, kind, name);
      return { value: item, cluster };
    },
    event => ({
      refetch:
        event.type === 'changed' &&
        (Boolean(event.all) || event.workspaces.includes(workspace)),
    }),
    [api, workspace, kind, name],
  );
}
