import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import {
  createGitopsService,
  simulatedStatus,
  simulateFlux,
  simulateInstance,
  type GitopsSnapshot,
} from '@mini-atlas/plugin-atlas-node';
import {
  backendToken,
  eventually,
  kube,
  newPage,
  portal,
  screenshot,
} from './harness';

/**
 * The live status views against the test cluster: the test plays Flux, KRO and the operators
 * through the Kubernetes API, and the page must follow without a reload.
 */

let snap: GitopsSnapshot;
let revision: string;

const isNamespaced = (_apiVersion: string, kind: string) =>
  kind !== 'Namespace';

/** Applies objects in an order the API accepts: namespaces before what lives in them. */
async function applyAll(objects: any[]) {
  const namespaces = objects.filter(o => o.kind === 'Namespace');
  for (const o of [
    ...namespaces,
    ...objects.filter(o => o.kind !== 'Namespace'),
  ])
    await kube.apply(o);
}

/** Waits until `text` is on the page, returning how long it took from `since`. */
async function shows(
  page: Page,
  text: string,
  since: number,
  timeout = 15_000,
) {
  await page.getByText(text, { exact: false }).first().waitFor({ timeout });
  return Date.now() - since;
}

beforeAll(async () => {
  const gitops = createGitopsService({
    repoRoot: portal.repoDir,
    watch: false,
  });
  snap = await gitops.snapshot();
  gitops.close();
  const head = execFileSync('git', ['rev-parse', 'HEAD'], {
    cwd: portal.repoDir,
  })
    .toString()
    .trim();
  revision = `main@sha1:${head}`;
  await applyAll([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flux-system' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kafka' } },
    ...simulateFlux({ revision }),
  ]);
});

test('a workspace moves from "waiting for Flux" to Ready without a reload', async () => {
  const workspace = snap.workspaces.get('team-a')!;
  const requests = snap.instances.filter(i => i.workspace === 'team-a');
  expect(requests.length).toBeGreaterThanOrEqual(3);

  // Flux applied the Workspace, KRO created its namespace and its requests Kustomization, which
  // has not applied the workspace's folder yet
  await applyAll(
    simulateInstance(workspace.abstraction, workspace.object, 'ready', {
      revision,
      isNamespaced,
    }).map(o =>
      o.kind === 'Kustomization'
        ? { ...o, status: simulatedStatus(o, { ready: false }) }
        : o,
    ),
  );

  const page = await newPage('/atlas/workspaces/team-a');
  await page.getByTestId('workspace-overall').waitFor();
  await shows(
    page,
    'waiting for Kustomization team-a/team-a-requests to apply commit',
    Date.now(),
    30_000,
  );
  const web = page.getByTestId('request-WebApplication-web');
  await expect(web.getByLabel('Git: done').count()).resolves.toBe(1);
  await expect(web.getByLabel('Flux: waiting').count()).resolves.toBe(1);
  expect(await web.getByTestId('holding-reason').textContent()).toMatch(
    /^Flux: waiting for Kustomization team-a\/team-a-requests to apply commit [0-9a-f]{7}/,
  );
  // the Workspace itself holds: its requests Kustomization has not applied yet
  expect(await page.getByTestId('workspace-overall').textContent()).toMatch(
    /^Workspace team-a: Resources: Kustomization team-a-requests: Reconciliation in progress/,
  );
  await screenshot(page, 'status-waiting-for-flux');

  // Flux applies the folder; KRO creates every request's resources and they come up
  await kube.patchStatus(
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      name: 'team-a-requests',
      namespace: 'team-a',
    },
    simulatedStatus(
      { apiVersion: '', kind: 'Kustomization', metadata: { name: '' } },
      { ready: true, revision },
    )!,
  );
  for (const request of requests) {
    await applyAll(
      simulateInstance(request.abstraction, request.object, 'ready', {
        revision,
        isNamespaced,
      }),
    );
  }
  await shows(
    page,
    `All ${requests.length} requests ready`,
    Date.now(),
    30_000,
  );
  expect(await web.getByTestId('holding-reason').count()).toBe(0);
  await expect(web.getByLabel('Resources: done').count()).resolves.toBe(1);
  await screenshot(page, 'status-ready');

  // live: one change in the cluster shows in under a second, both ways
  const topic = {
    apiVersion: 'kafka.strimzi.io/v1',
    kind: 'KafkaTopic',
    name: 'team-a-orders',
    namespace: 'kafka',
  };
  let since = Date.now();
  await kube.patchStatus(topic, {
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'KafkaError',
        message: 'Replication factor: 3 larger than available brokers: 1.',
        lastTransitionTime: new Date().toISOString(),
      },
    ],
  });
  const failedAfter = await shows(
    page,
    'KafkaTopic team-a-orders: not ready: Replication factor: 3 larger than available brokers: 1.',
    since,
  );
  since = Date.now();
  await kube.patchStatus(topic, {
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        lastTransitionTime: new Date().toISOString(),
      },
    ],
  });
  const readyAfter = await shows(
    page,
    `All ${requests.length} requests ready`,
    since,
  );
  // eslint-disable-next-line no-console
  console.log(
    `status e2e: cluster change on the page after ${failedAfter} ms and ${readyAfter} ms`,
  );
  expect(failedAfter).toBeLessThan(1_000);
  expect(readyAfter).toBeLessThan(1_000);
  await page.close();
});

test('the Platform page lists the workspace as Ready, and filters', async () => {
  const page = await newPage('/atlas');
  const row = page.locator('tr', {
    has: page.getByRole('link', { name: 'team-a', exact: true }),
  });
  await row.waitFor();
  await eventually(
    async () =>
      (await row.textContent())?.includes('Ready') ? true : undefined,
    15_000,
    'team-a Ready',
  );
  expect(await row.textContent()).toMatch(/All \d+ requests ready/);
  await page.getByLabel('Filter workspaces').fill('no-such-workspace');
  await page.getByText('0 of').waitFor();
  await page.getByLabel('Filter workspaces').fill('team-a');
  await row.waitFor();
  await screenshot(page, 'status-platform');
  await page.close();
});

test('the Topic card shows the KafkaTopic as Strimzi reports it', async () => {
  await eventually(
    async () => {
      const response = await fetch(
        `${portal.backendUrl}/api/catalog/entities/by-name/resource/default/team-a-orders`,
        { headers: { authorization: `Bearer ${await backendToken()}` } },
      );
      return response.ok ? true : undefined;
    },
    120_000,
    'the catalog to have resource:default/team-a-orders',
  );
  const page = await newPage('/catalog/default/resource/team-a-orders');
  const card = page.locator('.MuiCard-root', {
    has: page.getByText('Kafka topic', { exact: true }),
  });
  try {
    await card.getByText('bus', { exact: true }).waitFor({ timeout: 30_000 });
  } catch (e) {
    await screenshot(page, 'status-topic-card-missing');
    throw e;
  }
  const text = (await card.textContent()) ?? '';
  expect(text).toMatch(/Partitions\s*3/i);
  expect(text).toMatch(/Retention\s*168 hours/i);
  expect(text).toContain('Ready=True');
  await screenshot(page, 'status-topic-card');
  await page.close();
});
