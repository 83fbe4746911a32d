import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { backendToken, newPage, portal, screenshot } from './harness';

function templateTitles(): string[] {
  const dir = path.resolve(__dirname, '../templates');
  return fs
    .readdirSync(dir)
    .map(
      name =>
        parse(fs.readFileSync(path.join(dir, name, 'template.yaml'), 'utf8'))
          .metadata.title,
    );
}

describe('the portal', () => {
  it('signs the guest in, lists the mini-atlas system in the catalog and opens Create', async () => {
    const page = await newPage();
    // the portal opens on the Platform page
    await page
      .getByRole('heading', { name: 'Platform', exact: true })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe('/atlas');

    await page.goto(`${portal.appUrl}/catalog?filters[kind]=system`);
    await page
      .getByRole('link', { name: 'Mini-Atlas', exact: true })
      .or(page.getByRole('link', { name: 'mini-atlas', exact: true }))
      .first()
      .waitFor();
    await screenshot(page, 'portal-catalog');
    expect(await page.title()).toContain('Mini-Atlas');

    await page.getByRole('link', { name: 'Create' }).first().click();
    await page.waitForURL(/\/create/);
    // one card per platform abstraction, generated from its RGD
    for (const title of templateTitles()) {
      await page
        .getByRole('heading', { name: title, exact: true })
        .first()
        .waitFor();
    }
    await screenshot(page, 'portal-create');
  });

  it('answers API calls for the signed-in guest', async () => {
    const token = await backendToken();
    const response = await fetch(
      `${portal.backendUrl}/api/catalog/entities/by-name/system/default/mini-atlas`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(response.status).toBe(200);
    expect((await response.json()).spec.owner).toBe(
      'group:default/platform-team',
    );
  });
});
