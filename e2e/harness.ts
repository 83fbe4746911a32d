import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readState } from './setup/state';

/** The running portal and what it writes to. */
export const portal = readState();

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RESULTS = path.resolve(__dirname, '../test-results/e2e');

let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  browser = undefined;
});

/**
 * A new Chromium page on the portal, signed in as the guest user (a member of team-a).
 */
export async function newPage(route = '/'): Promise<Page> {
  browser ??= await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(portal.appUrl);
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.waitFor({ timeout: 90_000 });
  await enter.click();
  await enter.waitFor({ state: 'detached' });
  await page.getByRole('link', { name: 'Mini-Atlas home' }).waitFor();
  if (route !== '/') await page.goto(new URL(route, portal.appUrl).toString());
  return page;
}

/** Saves a screenshot under test-results/e2e/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A Backstage token of the guest user, for calling the backend API directly. */
export async function backendToken(): Promise<string> {
  const response = await fetch(`${portal.backendUrl}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!response.ok)
    throw new Error(
      `guest sign-in failed: ${response.status} ${await response.text()}`,
    );
  const body = await response.json();
  return body.backstageIdentity.token;
}

/** Polls `check` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}${last ? `: ${last}` : ''}`,
      );
    await new Promise(r => setTimeout(r, 250));
  }
}

type ObjectRef = {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
};

const plurals = new Map<string, { plural: string; namespaced: boolean }>();

async function resourcePath(
  ref: ObjectRef,
  withName: boolean,
): Promise<string> {
  const base = ref.apiVersion.includes('/')
    ? `/apis/${ref.apiVersion}`
    : `/api/${ref.apiVersion}`;
  const key = `${ref.apiVersion}/${ref.kind}`;
  if (!plurals.has(key)) {
    const list = await (await fetch(`${portal.kubeUrl}${base}`)).json();
    for (const r of list.resources ?? []) {
      if (!r.name.includes('/'))
        plurals.set(`${ref.apiVersion}/${r.kind}`, {
          plural: r.name,
          namespaced: r.namespaced,
        });
    }
  }
  const type = plurals.get(key);
  if (!type) throw new Error(`the test cluster serves no ${key}`);
  const ns = type.namespaced ? `/namespaces/${ref.namespace ?? 'default'}` : '';
  return `${portal.kubeUrl}${base}${ns}/${type.plural}${
    withName ? `/${ref.name}` : ''
  }`;
}

async function send(
  method: string,
  url: string,
  body?: unknown,
  contentType = 'application/json',
) {
  const response = await fetch(url, {
    method,
    headers: body ? { 'content-type': contentType } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok)
    throw new Error(
      `${method} ${url}: ${response.status} ${await response.text()}`,
    );
  return response.json();
}

const refOf = (object: any): ObjectRef => ({
  apiVersion: object.apiVersion,
  kind: object.kind,
  name: object.metadata.name,
  namespace: object.metadata.namespace,
});

/**
 * The Kubernetes test API server the portal watches, driven over its HTTP API as a controller
 * or kubectl would: tests play Flux and KRO with it.
 */
export const kube = {
  /** Creates the object, or replaces it (status included) when it exists. */
  async apply(object: any): Promise<any> {
    const ref = refOf(object);
    const existing = await fetch(await resourcePath(ref, true));
    if (existing.status === 404) {
      const created = await send(
        'POST',
        await resourcePath(ref, false),
        object,
      );
      return object.status ? kube.patchStatus(ref, object.status) : created;
    }
    const current = await existing.json();
    const replaced = await send('PUT', await resourcePath(ref, true), {
      ...object,
      metadata: {
        ...object.metadata,
        resourceVersion: current.metadata.resourceVersion,
      },
    });
    return object.status ? kube.patchStatus(ref, object.status) : replaced;
  },
  /** Merge-patches the status subresource, as a controller reports progress. */
  async patchStatus(ref: ObjectRef, status: unknown): Promise<any> {
    return send(
      'PATCH',
      `${await resourcePath(ref, true)}/status`,
      { status },
      'application/merge-patch+json',
    );
  },
  async delete(ref: ObjectRef): Promise<void> {
    await send('DELETE', await resourcePath(ref, true));
  },
  async get(ref: ObjectRef): Promise<any | undefined> {
    const response = await fetch(await resourcePath(ref, true));
    return response.status === 404 ? undefined : response.json();
  },
};
