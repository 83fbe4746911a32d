import { execFileSync } from 'node:child_process';
import { newPage, portal, screenshot } from './harness';

const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: portal.repoDir, encoding: 'utf8' });

describe('the Workspace wizard', () => {
  it('checks the name as it is typed, commits the workspace and shows what KRO will create', async () => {
    const workspace = `e2e-${Date.now().toString(36)}`;
    const before = git('rev-parse', 'HEAD').trim();
    const page = await newPage('/create/templates/default/atlas-workspace');
    const pageErrors: string[] = [];
    page.on('pageerror', e => pageErrors.push(e.message));

    const name = page.getByTestId('atlas-name');
    // the catalog reads the templates shortly after the portal starts
    await name.waitFor({ timeout: 90_000 }).catch(async e => {
      await screenshot(page, 'wizard-workspace-open');
      throw new Error(`${e.message}\npage errors: ${pageErrors.join('\n')}`);
    });
    // a taken name is refused as it is typed
    await name.fill('team-a');
    await page.getByText('Already taken by Workspace team-a').waitFor();
    // so is a reserved one
    await name.fill('kube-system');
    await page.getByText(/reserved for the platform/).waitFor();
    await name.fill(workspace);
    await page
      .getByText(`Available: the namespace will be ${workspace}`)
      .waitFor();

    await page.locator('#OwnershipEntityRefPicker-dropdown').click();
    await page.getByRole('option', { name: 'Team A' }).click();
    await screenshot(page, 'wizard-workspace-name');
    await page.getByRole('button', { name: 'Next' }).click();

    await page.getByLabel('Description').fill('Made by the end-to-end test');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByText(workspace).first().waitFor();
    await page.getByRole('button', { name: 'Create' }).click();

    await page.getByText(/was committed to Git as [0-9a-f]{12}/).waitFor({
      timeout: 120_000,
    });
    await page.getByRole('button', { name: 'What KRO will create' }).click();
    await page.getByText(`ResourceQuota`).first().waitFor();
    await page.getByText(`${workspace}-requests`).first().waitFor();
    await screenshot(page, 'wizard-workspace-done');

    expect(git('rev-list', '--count', `${before}..HEAD`).trim()).toBe('1');
    expect(git('log', '-1', '--format=%an|%s').trim()).toBe(
      `Guest|${workspace}: add Workspace ${workspace}`,
    );
    expect(
      git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort(),
    ).toEqual(
      [
        'gitops/workspaces/kustomization.yaml',
        `gitops/workspaces/${workspace}/kustomization.yaml`,
        `gitops/workspaces/${workspace}/workspace.yaml`,
      ].sort(),
    );
    expect(
      git('show', `HEAD:gitops/workspaces/${workspace}/workspace.yaml`),
    ).toContain('description: Made by the end-to-end test');
  });
});
