import { createTestEnvironment } from './__testUtils__/testEnvironment';
import { expectedLayerKustomizations, waitForLayers } from './waitForLayers';

const list = (items: object[]) => ({ stdout: JSON.stringify({ items }) });
const k = (
  name: string,
  status: string,
  reason: string,
  message = '',
  extra: object = {},
) => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name, namespace: 'flux-system', generation: 1 },
  status: {
    observedGeneration: 1,
    conditions: [{ type: 'Ready', status, reason, message }],
  },
  ...extra,
});

describe('expectedLayerKustomizations', () => {
  it('is the four layers, then one <ws>-requests per workspace', () => {
    expect(expectedLayerKustomizations(['team-a', 'team-b'])).toEqual([
      'core-controllers',
      'core-config',
      'foundation',
      'workspaces',
      'team-a-requests',
      'team-b-requests',
    ]);
  });
});

describe('waitForLayers', () => {
  it('also waits for <ws>-requests Kustomizations that appear but were not expected', async () => {
    const looks = [
      [
        k('core-controllers', 'True', 'ReconciliationSucceeded'),
        k(
          'team-c-requests',
          'Unknown',
          'Progressing',
          'Reconciliation in progress',
        ),
      ],
      [
        k('core-controllers', 'True', 'ReconciliationSucceeded'),
        k('team-c-requests', 'True', 'ReconciliationSucceeded'),
      ],
    ];
    let look = 0;
    const t = createTestEnvironment({
      repoRoot: '/repo',
      handler: () => list(looks[Math.min(look++, looks.length - 1)]),
    });

    const result = await waitForLayers(t.env, {
      context: 'kind-mini-atlas',
      expected: ['core-controllers'],
      timeoutMs: 60_000,
      pollMs: 1000,
    });

    expect(result.ok).toBe(true);
    expect(result.states.map(s => s.name)).toEqual([
      'core-controllers',
      'team-c-requests',
    ]);
    expect(t.stdout()).toBe(
      [
        '  [0:00] core-controllers  ready        applied',
        '  [0:00] team-c-requests   progressing  Reconciliation in progress (Progressing)',
        '  [0:01] team-c-requests   ready        applied',
        '',
      ].join('\n'),
    );
  });

  it('does not count Ready=True of an older generation', async () => {
    const stale = k('core-controllers', 'True', 'ReconciliationSucceeded', '', {
      metadata: {
        name: 'core-controllers',
        namespace: 'flux-system',
        generation: 2,
      },
    });
    const t = createTestEnvironment({
      repoRoot: '/repo',
      handler: () => list([stale]),
    });

    const result = await waitForLayers(t.env, {
      context: 'kind-mini-atlas',
      expected: ['core-controllers'],
      timeoutMs: 10_000,
    });

    expect(result.ok).toBe(false);
    expect(result.states[0]).toEqual({
      name: 'core-controllers',
      present: true,
      health: 'progressing',
      summary: 'generation 2 not reconciled yet (Ready is for generation 1)',
    });
  });

  it('keeps polling through kubectl errors and warns once per distinct error', async () => {
    let look = 0;
    const t = createTestEnvironment({
      repoRoot: '/repo',
      handler: () =>
        look++ < 3
          ? { code: 1, stderr: 'Unable to connect to the server: EOF' }
          : list([k('core-controllers', 'True', 'ReconciliationSucceeded')]),
    });

    const result = await waitForLayers(t.env, {
      context: 'kind-mini-atlas',
      expected: ['core-controllers'],
      timeoutMs: 60_000,
    });

    expect(result.ok).toBe(true);
    expect(t.stderr()).toBe(
      '  [0:00] could not read the Kustomizations: Unable to connect to the server: EOF\n',
    );
  });
});
