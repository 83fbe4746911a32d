import type { Health, KubeObject } from '@mini-atlas/plugin-atlas-common';
import { formatElapsed } from './duration';
import { AtlasEnvironment } from './environment';
import { resources } from './kube';
import { platform } from './platform';
import { summarizeKustomization } from './status/summarize';
import { shortenRevisions } from './status/renderStatus';

/**
 * The state of one layer Kustomization while `up` waits.
 *
 * @public
 */
export interface LayerState {
  name: string;
  /** False while the Kustomization does not exist yet. */
  present: boolean;
  /** As atlas-node's Kustomization interpreter reads it; `unknown` while it does not exist. */
  health: Health;
  summary: string;
}

/**
 * Options of {@link waitForLayers}.
 *
 * @public
 */
export interface WaitForLayersOptions {
  context: string;
  /** Names of the Kustomizations in flux-system that must become Ready, in display order. */
  expected: string[];
  timeoutMs: number;
  /** Time between two looks, default 5 s. */
  pollMs?: number;
}

/**
 * The Kustomizations `up` waits for: the four layers, then `<ws>-requests` per workspace.
 *
 * @public
 */
export function expectedLayerKustomizations(workspaces: string[]): string[] {
  return [
    ...platform.layerKustomizations,
    ...workspaces.map(ws => `${ws}${platform.requestsSuffix}`),
  ];
}

function stateOf(name: string, object: KubeObject | undefined): LayerState {
  if (!object) {
    const ws = name.endsWith(platform.requestsSuffix)
      ? name.slice(0, -platform.requestsSuffix.length)
      : undefined;
    return {
      name,
      present: false,
      health: 'unknown',
      summary: ws
        ? `not created yet (KRO creates it for the Workspace ${ws})`
        : 'not created yet',
    };
  }
  const { health, summary } = summarizeKustomization(object);
  return { name, present: true, health, summary };
}

function isReady(state: LayerState): boolean {
  return state.present && state.health === 'ready';
}

/**
 * One line per layer for messages: `name  health  summary` (`missing` for a Kustomization
 * not in the cluster yet).
 *
 * @public
 */
export function describeLayerState(state: LayerState, nameWidth = 0): string {
  const summary = shortenRevisions(state.summary.replace(/\s+/g, ' ').trim());
  return `${state.name.padEnd(nameWidth)}  ${(state.present
    ? state.health
    : 'missing'
  ).padEnd(11)}  ${summary}`.trimEnd();
}

/**
 * Polls the Flux Kustomizations in flux-system until every expected one (and every
 * `<ws>-requests` that appears) is Ready for its current generation, printing a line each
 * time a layer changes, or until the timeout.
 *
 * @public
 */
export async function waitForLayers(
  env: AtlasEnvironment,
  options: WaitForLayersOptions,
): Promise<{ ok: boolean; states: LayerState[] }> {
  const { clock, output, runner } = env;
  const pollMs = options.pollMs ?? 5000;
  const start = clock.now();
  const deadline = start + options.timeoutMs;
  const shown = new Map<string, string>();
  let lastNews = start;
  let states: LayerState[] = options.expected.map(name =>
    stateOf(name, undefined),
  );
  let lastError = '';

  for (;;) {
    const result = await runner.run('kubectl', [
      '--context',
      options.context,
      'get',
      resources.kustomizations,
      '-n',
      platform.fluxNamespace,
      '-o',
      'json',
    ]);
    const now = clock.now();
    if (result.code === 0) {
      lastError = '';
      const items = (JSON.parse(result.stdout).items ?? []) as KubeObject[];
      const byName = new Map(items.map(item => [item.metadata.name, item]));
      const extra = items
        .map(item => item.metadata.name)
        .filter(
          name =>
            name.endsWith(platform.requestsSuffix) &&
            !options.expected.includes(name),
        )
        .sort();
      states = [...options.expected, ...extra].map(name =>
        stateOf(name, byName.get(name)),
      );
      const width = Math.max(...states.map(s => s.name.length));
      for (const state of states) {
        const line = describeLayerState(state, width);
        if (shown.get(state.name) !== line) {
          shown.set(state.name, line);
          output.info(`  [${formatElapsed(now - start)}] ${line}`);
          lastNews = now;
        }
      }
      if (states.every(isReady)) {
        return { ok: true, states };
      }
    } else {
      const error = (result.stderr || result.stdout).trim();
      if (error !== lastError) {
        output.warn(
          `  [${formatElapsed(
            now - start,
          )}] could not read the Kustomizations: ${error}`,
        );
        lastError = error;
      }
    }

    if (now >= deadline) return { ok: false, states };
    if (now - lastNews >= 60_000) {
      const waiting = states.filter(s => !isReady(s)).map(s => s.name);
      output.info(
        `  [${formatElapsed(now - start)}] still waiting for ${waiting.join(
          ', ',
        )}`,
      );
      lastNews = now;
    }
    await clock.sleep(Math.max(1, Math.min(pollMs, deadline - now)));
  }
}
