import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import type { Health } from '@mini-atlas/plugin-atlas-common';

/** Words for each health. */
export const HEALTH_LABELS: Record<Health, string> = {
  ready: 'Ready',
  progressing: 'Progressing',
  failed: 'Failed',
  unknown: 'Unknown',
};

/**
 * A health as a coloured status line (`Ready`, `Progressing`, `Failed`, `Unknown`).
 *
 * @public
 */
export function HealthChip(props: { health: Health; label?: string }) {
  const label = props.label ?? HEALTH_LABELS[props.health];
  switch (props.health) {
    case 'ready':
      return <StatusOK>{label}</StatusOK>;
    case 'failed':
      return <StatusError>{label}</StatusError>;
    case 'progressing':
      return <StatusPending>{label}</StatusPending>;
    default:
      return <StatusAborted>{label}</StatusAborted>;
  }
}
