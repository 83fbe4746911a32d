import { WarningPanel } from '@backstage/core-components';
import type { ClusterConnection } from '@mini-atlas/plugin-atlas-common';
import { Typography } from '@material-ui/core';

/**
 * Says when the cluster cannot be seen (only Git's side is shown then), or which kinds it does
 * not serve.
 *
 * @public
 */
export function ClusterBanner(props: { cluster?: ClusterConnection }) {
  const cluster = props.cluster;
  if (!cluster) return null;
  if (!cluster.connected) {
    return (
      <WarningPanel
        severity="warning"
        title="The cluster is not reachable: showing what Git declares"
      >
        <Typography variant="body2">
          {cluster.reason ?? 'no reason given'}
          {cluster.context ? ` (context ${cluster.context})` : ''}. The portal
          keeps retrying; this page updates by itself once it connects.
        </Typography>
      </WarningPanel>
    );
  }
  if (cluster.missingKinds?.length) {
    return (
      <WarningPanel
        severity="info"
        title="Some kinds are not served by the cluster"
      >
        <Typography variant="body2">
          {cluster.missingKinds.join(', ')}: their CRDs are not installed yet.
        </Typography>
      </WarningPanel>
    );
  }
  return null;
}
