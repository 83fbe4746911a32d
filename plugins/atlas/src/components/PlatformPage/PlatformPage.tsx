import {
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import type {
  Health,
  PlatformItem,
  WorkspaceSummary,
} from '@mini-atlas/plugin-atlas-common';
import {
  Box,
  Chip,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  Typography,
} from '@material-ui/core';
import { useMemo, useState } from 'react';
import { useLiveWorkspaces } from '../../hooks/useLiveStatus';
import { workspaceRouteRef } from '../../routes';
import { ClusterBanner } from '../ClusterBanner';
import { HEALTH_LABELS, HealthChip } from '../HealthChip';

type HealthFilter = Health | 'all' | 'not-ready';

/**
 * Keeps the workspaces matching a free-text query (name, owner, description, message) and a
 * health filter.
 *
 * @public
 */
export function filterWorkspaces(
  items: readonly WorkspaceSummary[],
  query: string,
  health: HealthFilter,
  owner: string,
): WorkspaceSummary[] {
  const words = query.toLocaleLowerCase('en-US').split(/\s+/).filter(Boolean);
  return items.filter(w => {
    if (health === 'not-ready' && w.overall.health === 'ready') return false;
    if (
      health !== 'all' &&
      health !== 'not-ready' &&
      w.overall.health !== health
    )
      return false;
    if (owner && w.owner !== owner) return false;
    const text = [w.name, w.owner, w.description, w.overall.message]
      .join(' ')
      .toLocaleLowerCase('en-US');
    return words.every(word => text.includes(word));
  });
}

function WorkspaceLink(props: { name: string }) {
  const link = useRouteRef(workspaceRouteRef);
  return link ? (
    <Link to={link({ name: props.name })}>{props.name}</Link>
  ) : (
    <>{props.name}</>
  );
}

const columns: TableColumn<WorkspaceSummary>[] = [
  {
    title: 'Workspace',
    field: 'name',
    highlight: true,
    render: w => <WorkspaceLink name={w.name} />,
  },
  { title: 'Owner', field: 'owner' },
  {
    title: 'Health',
    field: 'overall.health',
    render: w => <HealthChip health={w.overall.health} />,
  },
  {
    title: 'Requests',
    render: w => `${w.counts.ready}/${w.counts.total} ready`,
  },
  {
    title: 'Kinds',
    render: w => (
      <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
        {Object.entries(w.kinds).map(([kind, count]) => (
          <Chip key={kind} size="small" label={`${kind} ${count}`} />
        ))}
      </Box>
    ),
  },
  {
    title: 'Where it stands',
    render: w => <Typography variant="body2">{w.overall.message}</Typography>,
  },
];

const PLATFORM_GROUPS: Array<{ kind: string; title: string }> = [
  { kind: 'GitRepository', title: 'Source' },
  { kind: 'Kustomization', title: 'Layers' },
  { kind: 'ResourceGraphDefinition', title: 'Abstractions' },
  { kind: 'ValidatingPolicy', title: 'Policies' },
];

/**
 * The platform the workspaces stand on: Flux's source and layers, the RGDs, the policies, each
 * with its health (its line in the tooltip).
 *
 * @public
 */
export function PlatformSummary(props: { items: PlatformItem[] }) {
  if (props.items.length === 0) return null;
  return (
    <Box mb={2}>
      <InfoCard title="Platform">
        <Box display="flex" flexWrap="wrap" style={{ gap: 24 }}>
          {PLATFORM_GROUPS.map(group => {
            const items = props.items.filter(i => i.kind === group.kind);
            if (!items.length) return null;
            return (
              <Box key={group.kind} aria-label={group.title}>
                <Typography variant="overline">{group.title}</Typography>
                {items.map(item => (
                  <Box
                    key={`${item.namespace}/${item.name}`}
                    title={item.summary}
                  >
                    <HealthChip health={item.health} label={item.name} />
                  </Box>
                ))}
              </Box>
            );
          })}
        </Box>
      </InfoCard>
    </Box>
  );
}

/**
 * The Platform page's content: every workspace with its overall health, owner and counts,
 * filterable, updated live.
 *
 * @public
 */
export function WorkspaceList() {
  const { value, cluster, loading, error } = useLiveWorkspaces();
  const [query, setQuery] = useState('');
  const [health, setHealth] = useState<HealthFilter>('all');
  const [owner, setOwner] = useState('');
  const items = value?.items;
  const owners = useMemo(
    () =>
      [
        ...new Set((items ?? []).map(w => w.owner).filter(Boolean) as string[]),
      ].sort(),
    [items],
  );
  const shown = useMemo(
    () => filterWorkspaces(items ?? [], query, health, owner),
    [items, query, health, owner],
  );
  if (loading && !value) return <Progress />;
  if (error && !value) return <ResponseErrorPanel error={error} />;
  return (
    <>
      <ClusterBanner cluster={cluster} />
      <PlatformSummary items={value?.platform ?? []} />
      <Box
        display="flex"
        style={{ gap: 16 }}
        mb={2}
        mt={1}
        alignItems="flex-end"
      >
        <TextField
          label="Filter"
          placeholder="name, owner, reason"
          value={query}
          onChange={e => setQuery(e.target.value)}
          inputProps={{ 'aria-label': 'Filter workspaces' }}
        />
        <FormControl style={{ minWidth: 160 }}>
          <InputLabel id="atlas-health-filter">Health</InputLabel>
          <Select
            labelId="atlas-health-filter"
            value={health}
            onChange={e => setHealth(e.target.value as HealthFilter)}
          >
            <MenuItem value="all">All</MenuItem>
            <MenuItem value="not-ready">Not ready</MenuItem>
            {(Object.keys(HEALTH_LABELS) as Health[]).map(h => (
              <MenuItem key={h} value={h}>
                {HEALTH_LABELS[h]}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl style={{ minWidth: 160 }}>
          <InputLabel id="atlas-owner-filter">Owner</InputLabel>
          <Select
            labelId="atlas-owner-filter"
            value={owner}
            onChange={e => setOwner(e.target.value as string)}
          >
            <MenuItem value="">Any</MenuItem>
            {owners.map(o => (
              <MenuItem key={o} value={o}>
                {o}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <Typography variant="body2" color="textSecondary">
          {shown.length} of {items?.length ?? 0} workspaces
        </Typography>
      </Box>
      <Table<WorkspaceSummary>
        title="Workspaces"
        options={{ search: false, paging: shown.length > 50, pageSize: 50 }}
        columns={columns}
        data={shown}
      />
    </>
  );
}

/**
 * The Platform page (`/atlas`).
 *
 * @public
 */
export function PlatformPage() {
  return (
    <Page themeId="home">
      <Header
        title="Platform"
        subtitle="Every workspace and where each request stands: Git, Flux, KRO, resources. Live."
      />
      <Content>
        <WorkspaceList />
      </Content>
    </Page>
  );
}
