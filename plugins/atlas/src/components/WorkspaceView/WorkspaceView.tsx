import {
  Content,
  Header,
  HeaderLabel,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRefParams } from '@backstage/frontend-plugin-api';
import type {
  ChildStatus,
  InstanceSummary,
} from '@mini-atlas/plugin-atlas-common';
import { Box, Divider, Grid, Typography, makeStyles } from '@material-ui/core';
import { useLiveWorkspace } from '../../hooks/useLiveStatus';
import { workspaceRouteRef } from '../../routes';
import { ClusterBanner } from '../ClusterBanner';
import { HealthChip } from '../HealthChip';
import { StagePipeline } from '../StagePipeline';

const useStyles = makeStyles(theme => ({
  request: { padding: theme.spacing(1.5, 0) },
  name: { fontWeight: 600, marginRight: theme.spacing(1) },
  file: { fontFamily: 'monospace', fontSize: 12 },
  children: { margin: 0, paddingLeft: 18 },
}));

/**
 * The children of a request, each with its health and one line.
 *
 * @public
 */
export function ChildList(props: { items: ChildStatus[] }) {
  const classes = useStyles();
  if (!props.items.length) return null;
  return (
    <ul className={classes.children} aria-label="resources">
      {props.items.map(child => (
        <li key={`${child.kind}/${child.namespace ?? ''}/${child.name}`}>
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            <HealthChip
              health={child.health}
              label={`${child.kind} ${child.name}`}
            />
            <Typography variant="body2" color="textSecondary">
              {child.summary}
            </Typography>
          </Box>
        </li>
      ))}
    </ul>
  );
}

function RequestRow(props: { item: InstanceSummary }) {
  const classes = useStyles();
  const { item } = props;
  return (
    <Box
      className={classes.request}
      data-testid={`request-${item.kind}-${item.shortName}`}
    >
      <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={0.5}>
        <Typography component="span" className={classes.name}>
          {item.shortName}
        </Typography>
        <HealthChip health={item.overall.health} />
        {item.file && (
          <Typography
            component="span"
            color="textSecondary"
            className={classes.file}
          >
            {item.file}
          </Typography>
        )}
      </Box>
      <StagePipeline stages={item.stages} />
    </Box>
  );
}

/**
 * One workspace: its own stages and resources (namespace, quota, isolation, its Flux
 * Kustomization), then every request grouped by abstraction (applications, infrastructure,
 * topics...), each with its stage pipeline and, in words, what holds it. Updates live.
 *
 * @public
 */
export function WorkspaceView(props: { name: string }) {
  const { value, cluster, loading, error } = useLiveWorkspace(props.name);
  if (loading && !value) return <Progress />;
  if (error && !value) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  const groups = new Map<string, InstanceSummary[]>();
  for (const item of value.instances) {
    const list = groups.get(item.title) ?? [];
    list.push(item);
    groups.set(item.title, list);
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <ClusterBanner cluster={cluster} />
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title={`Workspace ${value.name}`}>
          <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
            <HealthChip health={value.overall.health} />
            <Typography variant="body2" data-testid="workspace-overall">
              {value.overall.message}
            </Typography>
          </Box>
          {value.description && (
            <Typography variant="body2" paragraph>
              {value.description}
            </Typography>
          )}
          <Typography variant="body2" paragraph>
            Owner: {value.owner ?? 'unknown'} · {value.counts.ready}/
            {value.counts.total} requests ready
          </Typography>
          <Divider />
          <Box mt={1}>
            <StagePipeline stages={value.workspace.stages} />
          </Box>
          <Box mt={1}>
            <ChildList items={value.workspace.children} />
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        {groups.size === 0 && (
          <InfoCard title="Requests">
            <Typography variant="body2">
              No requests yet: use Create to add an application, a database or a
              topic.
            </Typography>
          </InfoCard>
        )}
        {[...groups.entries()].map(([title, items]) => (
          <Box key={title} mb={3}>
            <InfoCard title={`${title} (${items.length})`}>
              {items.map((item, index) => (
                <Box key={`${item.kind}/${item.name}`}>
                  {index > 0 && <Divider />}
                  <RequestRow item={item} />
                </Box>
              ))}
            </InfoCard>
          </Box>
        ))}
      </Grid>
    </Grid>
  );
}

/**
 * The Workspace page (`/atlas/workspaces/:name`).
 *
 * @public
 */
export function WorkspacePage() {
  const { name } = useRouteRefParams(workspaceRouteRef);
  return (
    <Page themeId="home">
      <Header
        title={`Workspace ${name}`}
        subtitle="Every request, stage by stage"
      >
        <HeaderLabel label="Updates" value="live" />
      </Header>
      <Content>
        <WorkspaceView name={name} />
      </Content>
    </Page>
  );
}
