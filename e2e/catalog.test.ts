import type { Page } from 'playwright-core';
import {
  backendToken,
  eventually,
  newPage,
  portal,
  screenshot,
} from './harness';

type Entity = {
  kind: string;
  metadata: {
    name: string;
    tags?: string[];
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  relations?: Array<{ type: string; targetRef: string }>;
};

async function api(path: string, init: RequestInit = {}) {
  const response = await fetch(`${portal.backendUrl}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${await backendToken()}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
  return response;
}

/** The catalog entity, or undefined while the catalog does not have it. */
async function entity(ref: string): Promise<Entity | undefined> {
  const [kind, name] = ref.split(':default/');
  const response = await api(
    `/api/catalog/entities/by-name/${kind}/default/${name}`,
  );
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`${ref}: ${response.status}`);
  return response.json();
}

const related = (e: Entity, type: string) =>
  (e.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef)
    .sort();

/** Runs a wizard through the scaffolder API and waits for it to finish. */
async function runWizard(template: string, values: Record<string, unknown>) {
  const created = await api('/api/scaffolder/v2/tasks', {
    method: 'POST',
    body: JSON.stringify({
      templateRef: `template:default/${template}`,
      values,
    }),
  });
  expect(created.status).toBe(201);
  const { id } = await created.json();
  const status = await eventually(
    async () => {
      const task = await (await api(`/api/scaffolder/v2/tasks/${id}`)).json();
      return ['completed', 'failed', 'cancelled'].includes(task.status)
        ? task.status
        : undefined;
    },
    120_000,
    `the ${template} task`,
  );
  expect(status).toBe('completed');
}

/** The Workspace wizard through its form, as a person fills it in. */
async function createWorkspaceInTheWizard(page: Page, workspace: string) {
  await page.goto(`${portal.appUrl}/create/templates/default/atlas-workspace`);
  const name = page.getByTestId('atlas-name');
  await name.waitFor({ timeout: 90_000 });
  await name.fill(workspace);
  await page
    .getByText(`Available: the namespace will be ${workspace}`)
    .waitFor();
  await page.locator('#OwnershipEntityRefPicker-dropdown').click();
  await page.getByRole('option', { name: 'Team A' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Description').fill('Made by the catalog test');
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByText(workspace).first().waitFor();
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByText(/was committed to Git as [0-9a-f]{12}/).waitFor({
    timeout: 120_000,
  });
}

describe('the catalog', () => {
  it('shows a workspace made by the wizard, with its requests, owner and relations, in the catalog and its graph', async () => {
    const workspace = `cat-${Date.now().toString(36)}`;
    const system = `system:default/${workspace}`;
    const page = await newPage();

    await createWorkspaceInTheWizard(page, workspace);
    const committedAt = Date.now();
    const ws = await eventually(
      () => entity(system),
      30_000,
      `the System of ${workspace}`,
    );
    // eslint-disable-next-line no-console
    console.log(
      `Workspace ${workspace}: in the catalog ${
        Date.now() - committedAt
      } ms after the wizard reported the commit`,
    );
    expect(ws.spec).toEqual({
      type: 'workspace',
      owner: 'group:default/team-a',
    });
    expect(ws.metadata.annotations).toMatchObject({
      'mini-atlas.io/source-file': `gitops/workspaces/${workspace}/workspace.yaml`,
      'mini-atlas.io/instance': `platform.mini-atlas.io/v1alpha1/Workspace/${workspace}`,
    });

    // two requests in it, through the scaffolder API (the same templates; their forms are the
    // wizard tests' subject): a topic, and a web application that uses it
    await runWizard('atlas-topic', {
      workspace,
      name: 'events',
      owner: 'group:default/team-a',
      spec: {},
    });
    await runWizard('atlas-webapplication', {
      workspace,
      name: 'web',
      owner: 'group:default/team-a',
      spec: {
        image: 'ghcr.io/stefanprodan/podinfo',
        topics: [`${workspace}-events`],
      },
    });
    const web = await eventually(
      async () => {
        const found = await entity(`component:default/${workspace}-web`);
        return found && related(found, 'dependsOn').length ? found : undefined;
      },
      30_000,
      'the web application with its relations',
    );
    expect(related(web, 'partOf')).toEqual([system]);
    expect(related(web, 'ownedBy')).toEqual(['group:default/team-a']);
    expect(related(web, 'dependsOn')).toEqual([
      `resource:default/${workspace}-events`,
    ]);
    expect(web.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-label-selector': `app.kubernetes.io/instance=${workspace}-web`,
      'backstage.io/kubernetes-namespace': workspace,
    });
    await eventually(
      async () => {
        const found = await entity(system);
        return found && related(found, 'hasPart').length === 2
          ? found
          : undefined;
      },
      30_000,
      'the parts of the workspace',
    );

    // the catalog lists the workspace among the systems
    await page.goto(`${portal.appUrl}/catalog?filters[kind]=system`);
    await page.getByRole('link', { name: workspace, exact: true }).waitFor();
    await screenshot(page, 'catalog-systems');

    // its page shows the owner and, in the relations graph, its parts and its owner
    await page.goto(`${portal.appUrl}/catalog/default/system/${workspace}`);
    await page.getByText('Made by the catalog test').first().waitFor();
    const graph = page.locator('svg').filter({ hasText: `${workspace}-web` });
    await graph.first().waitFor();
    for (const node of [`${workspace}-events`, 'Team A']) {
      await graph.first().getByText(node).first().waitFor();
    }
    await screenshot(page, 'catalog-workspace-system');

    // the graph page, from the web application: its topic, its workspace and its owner
    await page.goto(
      `${portal.appUrl}/catalog-graph?rootEntityRefs%5B%5D=${encodeURIComponent(
        `component:default/${workspace}-web`,
      )}&maxDepth=1`,
    );
    const full = page.locator('svg').filter({ hasText: `${workspace}-events` });
    await full.first().waitFor();
    for (const node of [workspace, 'Team A', `${workspace}-web`]) {
      await full.first().getByText(node, { exact: true }).first().waitFor();
    }
    await screenshot(page, 'catalog-graph-webapplication');
  });
});
