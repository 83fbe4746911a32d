import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { stagesHeldAt } from '../../__testUtils__/fakeStatusApi';
import { StagePipeline } from './StagePipeline';

describe('StagePipeline', () => {
  it('shows each stage state and the holding stage reason in words', async () => {
    await renderInTestApp(
      <StagePipeline
        stages={stagesHeldAt(
          'flux',
          'waiting for Kustomization team-a/team-a-requests to apply commit b2c3d4e (it applied a1b2c3d)',
        )}
      />,
    );
    expect(screen.getByLabelText('Git: done')).toBeInTheDocument();
    expect(screen.getByLabelText('Flux: waiting')).toHaveAttribute(
      'data-state',
      'pending',
    );
    expect(screen.getByLabelText('KRO: waiting')).toBeInTheDocument();
    expect(screen.getByTestId('holding-reason')).toHaveTextContent(
      'Flux: waiting for Kustomization team-a/team-a-requests to apply commit b2c3d4e (it applied a1b2c3d)',
    );
  });

  it('lists every stage message when detailed, and no reason when all are done', async () => {
    const { unmount } = await renderInTestApp(
      <StagePipeline
        stages={stagesHeldAt(
          'resources',
          'KafkaTopic team-a-orders: not ready',
          'failed',
        )}
        detailed
      />,
    );
    expect(screen.getByLabelText('Resources: failed')).toBeInTheDocument();
    expect(
      screen.getByText('KafkaTopic team-a-orders: not ready', { exact: false }),
    ).toBeInTheDocument();
    expect(screen.getByText('git done', { exact: false })).toBeInTheDocument();
    unmount();
    await renderInTestApp(<StagePipeline stages={stagesHeldAt(undefined)} />);
    expect(screen.queryByTestId('holding-reason')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Resources: done')).toBeInTheDocument();
  });
});
