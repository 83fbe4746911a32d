import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  V1ConfigMap,
} from '@kubernetes/client-node';
import { addOnCrdTypes } from './builtinTypes';
import { startKubeTestServer } from './server';
import { KubeTestServer } from './types';

const topicType = {
  group: 'platform.mini-atlas.io',
  version: 'v1alpha1',
  kind: 'Topic',
  plural: 'topics',
  namespaced: true,
};

/** The parsed Status of a failed client-node call. */
async function statusOf(
  call: Promise<unknown>,
): Promise<{ code: number; body: any }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    const body =
      typeof error.body === 'string' ? JSON.parse(error.body) : error.body;
    return { code: error.code, body };
  }
  throw new Error('expected the call to fail');
}

describe('KubeTestServer over HTTP with @kubernetes/client-node', () => {
  let server: KubeTestServer;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeEach(async () => {
    server = await startKubeTestServer({
      types: [...addOnCrdTypes, topicType],
    });
    kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig());
    core = kc.makeApiClient(CoreV1Api);
    server.load([
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'team-a',
          labels: { 'mini-atlas.io/workspace': 'team-a' },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'team-b',
          labels: { 'mini-atlas.io/workspace': 'team-b' },
        },
      },
    ]);
  });

  afterEach(() => server.close());

  describe('kubeconfig', () => {
    it('points a context at the server', () => {
      expect(kc.getCurrentContext()).toBe('kind-mini-atlas');
      expect(kc.getCurrentCluster()).toMatchObject({
        server: server.url,
        skipTLSVerify: true,
      });
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.kubeconfig('other')).toContain('current-context: other');
    });
  });

  describe('discovery', () => {
    it('answers /version, /api and /apis like kube-apiserver', async () => {
      const version = await (await fetch(`${server.url}/version`)).json();
      expect(version).toMatchObject({
        major: '1',
        minor: '33',
        gitVersion: 'v1.33.0',
      });

      const api = await (await fetch(`${server.url}/api`)).json();
      expect(api).toEqual({
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [
          {
            clientCIDR: '0.0.0.0/0',
            serverAddress: `127.0.0.1:${server.port}`,
          },
        ],
      });

      const apis = await (await fetch(`${server.url}/apis`)).json();
      expect(apis.kind).toBe('APIGroupList');
      const kro = apis.groups.find((g: any) => g.name === 'kro.run');
      expect(kro).toEqual({
        name: 'kro.run',
        versions: [{ groupVersion: 'kro.run/v1alpha1', version: 'v1alpha1' }],
        preferredVersion: {
          groupVersion: 'kro.run/v1alpha1',
          version: 'v1alpha1',
        },
      });
      expect(apis.groups.map((g: any) => g.name)).toEqual(
        expect.arrayContaining([
          'apps',
          'networking.k8s.io',
          'apiextensions.k8s.io',
          'platform.mini-atlas.io',
        ]),
      );
    });

    it('lists resources with plurals, scope and verbs', async () => {
      const core1 = await (await fetch(`${server.url}/api/v1`)).json();
      expect(core1.kind).toBe('APIResourceList');
      expect(core1.groupVersion).toBe('v1');
      expect(
        core1.resources.find(
          (r: any) => r.kind === 'ResourceQuota' && !r.name.includes('/'),
        ),
      ).toEqual({
        name: 'resourcequotas',
        singularName: 'resourcequota',
        namespaced: true,
        kind: 'ResourceQuota',
        verbs: [
          'create',
          'delete',
          'deletecollection',
          'get',
          'list',
          'patch',
          'update',
          'watch',
        ],
        shortNames: ['quota'],
      });
      expect(core1.resources.map((r: any) => r.name)).toContain(
        'namespaces/status',
      );
      expect(core1.resources.map((r: any) => r.name)).not.toContain(
        'configmaps/status',
      );

      const networking = await (
        await fetch(`${server.url}/apis/networking.k8s.io/v1`)
      ).json();
      expect(
        networking.resources.find((r: any) => r.kind === 'Ingress').name,
      ).toBe('ingresses');
      const rgd = await (
        await fetch(`${server.url}/apis/kro.run/v1alpha1`)
      ).json();
      expect(rgd.resources[0]).toMatchObject({
        name: 'resourcegraphdefinitions',
        namespaced: false,
        kind: 'ResourceGraphDefinition',
      });
      expect((await fetch(`${server.url}/apis/nope.io/v1`)).status).toBe(404);
      const group = await (await fetch(`${server.url}/apis/apps`)).json();
      expect(group).toEqual({
        kind: 'APIGroup',
        apiVersion: 'v1',
        name: 'apps',
        versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
      });
    });

    it('serves discovery to KubernetesObjectApi, which maps kinds to plurals from it', async () => {
      const client = KubernetesObjectApi.makeApiClient(kc);
      await client.create({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web', namespace: 'team-a' },
        spec: { rules: [] },
      } as any);
      expect(
        server.get({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          name: 'web',
          namespace: 'team-a',
        }),
      ).toBeDefined();
      const counts = server.requestCounts().byVerbAndPath;
      expect(counts['get /apis/networking.k8s.io/v1']).toBe(1);
      expect(
        counts['create /apis/networking.k8s.io/v1/namespaces/team-a/ingresses'],
      ).toBe(1);
    });

    it('registers types at runtime, also from CustomResourceDefinitions created through the API', async () => {
      const crd = {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'workspaces.platform.mini-atlas.io' },
        spec: {
          group: 'platform.mini-atlas.io',
          scope: 'Cluster',
          names: {
            kind: 'Workspace',
            plural: 'workspaces',
            singular: 'workspace',
            listKind: 'WorkspaceList',
          },
          versions: [
            {
              name: 'v1alpha1',
              served: true,
              storage: true,
              subresources: { status: {} },
            },
          ],
        },
      };
      const created = await KubernetesObjectApi.makeApiClient(kc).create(
        crd as any,
      );
      expect(
        (created as any).status.conditions.map(
          (c: any) => `${c.type}=${c.status}`,
        ),
      ).toEqual(['NamesAccepted=True', 'Established=True']);
      const group = await (
        await fetch(`${server.url}/apis/platform.mini-atlas.io/v1alpha1`)
      ).json();
      expect(group.resources.map((r: any) => r.name).sort()).toEqual([
        'topics',
        'topics/status',
        'workspaces',
        'workspaces/status',
      ]);
      // Versions are ordered like kube-apiserver's: GA, then beta, then alpha.
      server.registerType({
        group: 'kro.run',
        version: 'v1beta2',
        kind: 'Thing',
        plural: 'things',
        namespaced: true,
      });
      server.registerType({
        group: 'kro.run',
        version: 'v1',
        kind: 'Other',
        plural: 'others',
        namespaced: true,
      });
      const kro = await (await fetch(`${server.url}/apis/kro.run`)).json();
      expect(kro.versions.map((v: any) => v.version)).toEqual([
        'v1',
        'v1beta2',
        'v1alpha1',
      ]);
      expect(kro.preferredVersion.version).toBe('v1');
      const custom = kc.makeApiClient(CustomObjectsApi);
      await custom.createClusterCustomObject({
        group: 'platform.mini-atlas.io',
        version: 'v1alpha1',
        plural: 'workspaces',
        body: {
          apiVersion: 'platform.mini-atlas.io/v1alpha1',
          kind: 'Workspace',
          metadata: { name: 'team-c' },
        },
      });
      expect(
        server.count({
          apiVersion: 'platform.mini-atlas.io/v1alpha1',
          kind: 'Workspace',
        }),
      ).toBe(1);

      // Deleting the CRD removes the type and its objects.
      await fetch(
        `${server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/workspaces.platform.mini-atlas.io`,
        {
          method: 'DELETE',
        },
      );
      expect(
        (
          await fetch(
            `${server.url}/apis/platform.mini-atlas.io/v1alpha1/workspaces`,
          )
        ).status,
      ).toBe(404);
    });
  });

  describe('reads', () => {
    beforeEach(() => {
      const cms = [];
      for (const ns of ['team-a', 'team-b']) {
        for (let i = 0; i < 5; i++) {
          cms.push({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: {
              name: `cm-${i}`,
              namespace: ns,
              labels: {
                tier: i < 2 ? 'web' : 'db',
                ...(i === 4 ? { canary: 'true' } : {}),
              },
            },
            data: { i: String(i) },
          });
        }
      }
      server.load(cms);
    });

    it('gets one object, and answers a missing one with a NotFound Status', async () => {
      const found = await core.readNamespacedConfigMap({
        name: 'cm-1',
        namespace: 'team-a',
      });
      expect(found.data).toEqual({ i: '1' });
      expect(found.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(found.metadata?.creationTimestamp).toBeInstanceOf(Date);

      const missing = await statusOf(
        core.readNamespacedConfigMap({ name: 'nope', namespace: 'team-a' }),
      );
      expect(missing).toEqual({
        code: 404,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'configmaps "nope" not found',
          reason: 'NotFound',
          details: { name: 'nope', kind: 'configmaps' },
          code: 404,
        },
      });
      const deployment = await statusOf(
        kc
          .makeApiClient(AppsV1Api)
          .readNamespacedDeployment({ name: 'web', namespace: 'team-a' }),
      );
      expect(deployment.body.message).toBe('deployments.apps "web" not found');
      expect(deployment.body.details).toEqual({
        name: 'web',
        group: 'apps',
        kind: 'deployments',
      });
    });

    it('lists per namespace and cluster-wide with the list resourceVersion', async () => {
      const inA = await core.listNamespacedConfigMap({ namespace: 'team-a' });
      expect(inA.items.map(c => c.metadata?.name)).toEqual([
        'cm-0',
        'cm-1',
        'cm-2',
        'cm-3',
        'cm-4',
      ]);
      expect(inA.metadata?.resourceVersion).toBe(server.resourceVersion);

      const all = await core.listConfigMapForAllNamespaces();
      expect(
        all.items.map(c => `${c.metadata?.namespace}/${c.metadata?.name}`),
      ).toHaveLength(10);
      expect(all.items[5].metadata?.namespace).toBe('team-b');

      const raw = await (
        await fetch(`${server.url}/api/v1/namespaces/team-a/configmaps`)
      ).json();
      expect(raw.kind).toBe('ConfigMapList');
      expect(raw.apiVersion).toBe('v1');
      // Like kube-apiserver, items of built-in kinds carry no kind/apiVersion in JSON lists.
      expect(raw.items[0].kind).toBeUndefined();
      expect(Object.keys(raw.items[0])).toEqual(['metadata', 'data']);
    });

    it.each([
      ['tier=web', ['cm-0', 'cm-1']],
      ['tier==db', ['cm-2', 'cm-3', 'cm-4']],
      ['tier!=web', ['cm-2', 'cm-3', 'cm-4']],
      ['tier in (web, db),canary', ['cm-4']],
      ['tier notin (db)', ['cm-0', 'cm-1']],
      ['canary', ['cm-4']],
      ['!canary', ['cm-0', 'cm-1', 'cm-2', 'cm-3']],
      ['tier=db,!canary', ['cm-2', 'cm-3']],
    ])('filters by labelSelector %s', async (labelSelector, expected) => {
      const list = await core.listNamespacedConfigMap({
        namespace: 'team-a',
        labelSelector,
      });
      expect(list.items.map(c => c.metadata?.name)).toEqual(expected);
    });

    it('filters by fieldSelector on metadata.name and metadata.namespace', async () => {
      const byName = await core.listConfigMapForAllNamespaces({
        fieldSelector: 'metadata.name=cm-3',
      });
      expect(
        byName.items.map(c => `${c.metadata?.namespace}/${c.metadata?.name}`),
      ).toEqual(['team-a/cm-3', 'team-b/cm-3']);
      const byNamespace = await core.listConfigMapForAllNamespaces({
        fieldSelector: 'metadata.namespace==team-b,metadata.name!=cm-0',
      });
      expect(byNamespace.items.map(c => c.metadata?.name)).toEqual([
        'cm-1',
        'cm-2',
        'cm-3',
        'cm-4',
      ]);

      const unsupported = await statusOf(
        core.listConfigMapForAllNamespaces({ fieldSelector: 'data.i=1' }),
      );
      expect(unsupported.code).toBe(400);
      expect(unsupported.body.message).toBe(
        'field label not supported: data.i',
      );
      const badLabels = await statusOf(
        core.listConfigMapForAllNamespaces({ labelSelector: 'a in b' }),
      );
      expect(badLabels.code).toBe(400);
    });

    it('paginates with limit and continue, keeping the first page resourceVersion', async () => {
      const pages: string[][] = [];
      const versions: string[] = [];
      let token: string | undefined;
      do {
        const page = await core.listConfigMapForAllNamespaces({
          limit: 3,
          _continue: token,
        });
        pages.push(
          page.items.map(c => `${c.metadata?.namespace}/${c.metadata?.name}`),
        );
        versions.push(page.metadata!.resourceVersion!);
        token = page.metadata?._continue;
        if (pages.length === 1)
          server.apply({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: 'late', namespace: 'team-a' },
          });
      } while (token);
      expect(pages).toEqual([
        ['team-a/cm-0', 'team-a/cm-1', 'team-a/cm-2'],
        ['team-a/cm-3', 'team-a/cm-4', 'team-a/late'],
        ['team-b/cm-0', 'team-b/cm-1', 'team-b/cm-2'],
        ['team-b/cm-3', 'team-b/cm-4'],
      ]);
      expect(new Set(versions).size).toBe(1);
      expect(Number(versions[0])).toBe(Number(server.resourceVersion) - 1);

      const selected = await core.listNamespacedConfigMap({
        namespace: 'team-b',
        labelSelector: 'tier=db',
        limit: 2,
      });
      expect(selected.items.map(c => c.metadata?.name)).toEqual([
        'cm-2',
        'cm-3',
      ]);
      const rest = await core.listNamespacedConfigMap({
        namespace: 'team-b',
        labelSelector: 'tier=db',
        limit: 2,
        _continue: selected.metadata?._continue,
      });
      expect(rest.items.map(c => c.metadata?.name)).toEqual(['cm-4']);
      expect(rest.metadata?._continue).toBeUndefined();
    });

    it('expires continue tokens from before a compaction', async () => {
      const first = await core.listConfigMapForAllNamespaces({ limit: 2 });
      server.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x', namespace: 'team-a' },
      });
      server.compact();
      const result = await statusOf(
        core.listConfigMapForAllNamespaces({
          limit: 2,
          _continue: first.metadata?._continue,
        }),
      );
      expect(result.code).toBe(410);
      expect(result.body.reason).toBe('Expired');
    });

    it('honours resourceVersion and resourceVersionMatch on lists', async () => {
      const current = Number(server.resourceVersion);
      const exact = await core.listNamespacedConfigMap({
        namespace: 'team-a',
        resourceVersion: String(current),
        resourceVersionMatch: 'Exact',
      });
      expect(exact.items).toHaveLength(5);
      const ahead = await statusOf(
        core.listNamespacedConfigMap({
          namespace: 'team-a',
          resourceVersion: String(current + 5),
        }),
      );
      expect(ahead.code).toBe(504);
      expect(ahead.body.message).toBe(
        `Too large resource version: ${current + 5}, current: ${current}`,
      );
      const matchOnly = await statusOf(
        core.listNamespacedConfigMap({
          namespace: 'team-a',
          resourceVersionMatch: 'Exact',
        }),
      );
      expect(matchOnly.code).toBe(400);
    });
  });

  describe('writes', () => {
    const configMap = (
      name: string,
      data: Record<string, string> = {},
    ): V1ConfigMap => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'team-a' },
      data,
    });

    it('creates with server-filled metadata and a global increasing resourceVersion', async () => {
      const before = Number(server.resourceVersion);
      const a = await core.createNamespacedConfigMap({
        namespace: 'team-a',
        body: configMap('a'),
      });
      const b = await core.createNamespacedConfigMap({
        namespace: 'team-b',
        body: { ...configMap('b'), metadata: { name: 'b' } },
      });
      expect(Number(a.metadata?.resourceVersion)).toBe(before + 1);
      expect(Number(b.metadata?.resourceVersion)).toBe(before + 2);
      expect(b.metadata?.namespace).toBe('team-b');
      expect(a.metadata?.generation).toBe(1);
      expect(a.metadata?.uid).not.toBe(b.metadata?.uid);

      const generated = await core.createNamespacedConfigMap({
        namespace: 'team-a',
        body: { metadata: { generateName: 'gen-' } },
      });
      expect(generated.metadata?.name).toMatch(/^gen-[a-z0-9]{5}$/);
    });

    it('rejects duplicates, bad names and missing namespaces', async () => {
      await core.createNamespacedConfigMap({
        namespace: 'team-a',
        body: configMap('a'),
      });
      const duplicate = await statusOf(
        core.createNamespacedConfigMap({
          namespace: 'team-a',
          body: configMap('a'),
        }),
      );
      expect(duplicate.code).toBe(409);
      expect(duplicate.body).toMatchObject({
        reason: 'AlreadyExists',
        message: 'configmaps "a" already exists',
      });

      const invalid = await statusOf(
        core.createNamespacedConfigMap({
          namespace: 'team-a',
          body: configMap('Not_Valid'),
        }),
      );
      expect(invalid.code).toBe(422);
      expect(invalid.body.reason).toBe('Invalid');

      const noNamespace = await statusOf(
        core.createNamespacedConfigMap({
          namespace: 'ghost',
          body: { metadata: { name: 'x' } },
        }),
      );
      expect(noNamespace.code).toBe(404);
      expect(noNamespace.body.message).toBe('namespaces "ghost" not found');

      const mismatch = await statusOf(
        core.createNamespacedConfigMap({
          namespace: 'team-b',
          body: configMap('a'),
        }),
      );
      expect(mismatch.code).toBe(400);
    });

    it('replaces with optimistic concurrency and bumps generation only on spec changes', async () => {
      const apps = kc.makeApiClient(AppsV1Api);
      const created = await apps.createNamespacedDeployment({
        namespace: 'team-a',
        body: {
          metadata: { name: 'web' },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: 'web' } },
            template: { metadata: { labels: { app: 'web' } } },
          },
          status: { replicas: 99 },
        },
      });
      expect(created.status).toBeUndefined(); // status is a subresource: ignored on create
      const replaced = await apps.replaceNamespacedDeployment({
        name: 'web',
        namespace: 'team-a',
        body: { ...created, spec: { ...created.spec!, replicas: 3 } },
      });
      expect(replaced.metadata?.generation).toBe(2);

      const stale = await statusOf(
        apps.replaceNamespacedDeployment({
          name: 'web',
          namespace: 'team-a',
          body: { ...created, spec: { ...created.spec!, replicas: 5 } },
        }),
      );
      expect(stale.code).toBe(409);
      expect(stale.body).toMatchObject({
        reason: 'Conflict',
        message:
          'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
      });

      const labelled = await apps.replaceNamespacedDeployment({
        name: 'web',
        namespace: 'team-a',
        body: {
          ...replaced,
          metadata: { ...replaced.metadata, labels: { a: 'b' } },
        },
      });
      expect(labelled.metadata?.generation).toBe(2);
      expect(Number(labelled.metadata?.resourceVersion)).toBeGreaterThan(
        Number(replaced.metadata?.resourceVersion),
      );

      // An update that changes nothing writes nothing.
      const same = await apps.replaceNamespacedDeployment({
        name: 'web',
        namespace: 'team-a',
        body: labelled,
      });
      expect(same.metadata?.resourceVersion).toBe(
        labelled.metadata?.resourceVersion,
      );
    });

    it('writes status only through the status subresource', async () => {
      const apps = kc.makeApiClient(AppsV1Api);
      const created = await apps.createNamespacedDeployment({
        namespace: 'team-a',
        body: {
          metadata: { name: 'web' },
          spec: { selector: {}, template: {} },
        },
      });
      const withStatus = await apps.replaceNamespacedDeploymentStatus({
        name: 'web',
        namespace: 'team-a',
        body: {
          ...created,
          spec: { selector: {}, template: {}, replicas: 7 },
          status: { readyReplicas: 1 },
        },
      });
      expect(withStatus.status).toEqual({ readyReplicas: 1 });
      expect(withStatus.spec?.replicas).toBeUndefined();
      expect(withStatus.metadata?.generation).toBe(1);

      const ignored = await apps.patchNamespacedDeployment(
        {
          name: 'web',
          namespace: 'team-a',
          body: { status: { readyReplicas: 5 } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(ignored.status).toEqual({ readyReplicas: 1 });
      const patched = await apps.patchNamespacedDeploymentStatus(
        {
          name: 'web',
          namespace: 'team-a',
          body: { status: { readyReplicas: 2 } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(patched.status).toEqual({ readyReplicas: 2 });
    });

    it('patches with merge patch and JSON patch, checking a resourceVersion in the patch', async () => {
      const created = await core.createNamespacedConfigMap({
        namespace: 'team-a',
        body: configMap('a', { x: '1', y: '2' }),
      });
      const merged = await core.patchNamespacedConfigMap(
        { name: 'a', namespace: 'team-a', body: { data: { x: null, z: '3' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(merged.data).toEqual({ y: '2', z: '3' });

      const jsonPatched = await core.patchNamespacedConfigMap({
        name: 'a',
        namespace: 'team-a',
        body: [
          { op: 'test', path: '/data/y', value: '2' },
          { op: 'add', path: '/metadata/labels', value: { 'a/b': 'c' } },
          { op: 'remove', path: '/data/z' },
        ],
      }); // client-node's default patch type is JSON patch
      expect(jsonPatched.data).toEqual({ y: '2' });
      expect(jsonPatched.metadata?.labels).toEqual({ 'a/b': 'c' });

      const failedTest = await statusOf(
        core.patchNamespacedConfigMap({
          name: 'a',
          namespace: 'team-a',
          body: [{ op: 'test', path: '/data/y', value: 'no' }],
        }),
      );
      expect(failedTest.code).toBe(422);

      const stale = await statusOf(
        core.patchNamespacedConfigMap(
          {
            name: 'a',
            namespace: 'team-a',
            body: {
              metadata: { resourceVersion: created.metadata?.resourceVersion },
              data: {},
            },
          },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        ),
      );
      expect(stale.code).toBe(409);

      const missing = await statusOf(
        core.patchNamespacedConfigMap(
          { name: 'nope', namespace: 'team-a', body: {} },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        ),
      );
      expect(missing.code).toBe(404);
    });

    it('refuses strategic merge patches on custom resources (415) like the real server', async () => {
      const custom = kc.makeApiClient(CustomObjectsApi);
      await custom.createNamespacedCustomObject({
        group: 'platform.mini-atlas.io',
        version: 'v1alpha1',
        namespace: 'team-a',
        plural: 'topics',
        body: {
          apiVersion: 'platform.mini-atlas.io/v1alpha1',
          kind: 'Topic',
          metadata: { name: 'orders' },
          spec: { partitions: 1 },
        },
      });
      const smp = await statusOf(
        custom.patchNamespacedCustomObject(
          {
            group: 'platform.mini-atlas.io',
            version: 'v1alpha1',
            namespace: 'team-a',
            plural: 'topics',
            name: 'orders',
            body: { spec: { partitions: 2 } },
          },
          setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
        ),
      );
      expect(smp.code).toBe(415);
      const merged = (await custom.patchNamespacedCustomObject(
        {
          group: 'platform.mini-atlas.io',
          version: 'v1alpha1',
          namespace: 'team-a',
          plural: 'topics',
          name: 'orders',
          body: { spec: { partitions: 2 } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )) as any;
      expect(merged.spec).toEqual({ partitions: 2 });
      expect(merged.metadata.generation).toBe(2);
    });

    it('applies server-side apply patches as create-or-merge', async () => {
      const client = KubernetesObjectApi.makeApiClient(kc);
      const body = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'ssa', namespace: 'team-a' },
        data: { a: '1' },
      };
      await client.patch(
        body,
        undefined,
        undefined,
        'test',
        true,
        PatchStrategy.ServerSideApply,
      );
      await client.patch(
        { ...body, data: { b: '2' } },
        undefined,
        undefined,
        'test',
        true,
        PatchStrategy.ServerSideApply,
      );
      expect(
        server.get({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'ssa',
          namespace: 'team-a',
        })?.data,
      ).toEqual({ a: '1', b: '2' });
    });

    it('deletes, keeping objects with finalizers until the last one is removed', async () => {
      await core.createNamespacedConfigMap({
        namespace: 'team-a',
        body: configMap('plain'),
      });
      await core.deleteNamespacedConfigMap({
        name: 'plain',
        namespace: 'team-a',
      });
      expect(
        (
          await statusOf(
            core.deleteNamespacedConfigMap({
              name: 'plain',
              namespace: 'team-a',
            }),
          )
        ).code,
      ).toBe(404);

      await core.createNamespacedConfigMap({
        namespace: 'team-a',
        body: {
          ...configMap('held'),
          metadata: { name: 'held', finalizers: ['mini-atlas.io/cleanup'] },
        },
      });
      const response = await fetch(
        `${server.url}/api/v1/namespaces/team-a/configmaps/held`,
        { method: 'DELETE' },
      );
      expect(response.status).toBe(202);
      const held = await core.readNamespacedConfigMap({
        name: 'held',
        namespace: 'team-a',
      });
      expect(held.metadata?.deletionTimestamp).toBeInstanceOf(Date);
      await core.patchNamespacedConfigMap(
        {
          name: 'held',
          namespace: 'team-a',
          body: { metadata: { finalizers: null } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      expect(
        server.get({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'held',
          namespace: 'team-a',
        }),
      ).toBeUndefined();
    });

    it('deletes collections by selector and empties deleted namespaces', async () => {
      server.load(
        ['a', 'b', 'c'].map(name => ({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name,
            namespace: 'team-a',
            labels: { drop: String(name !== 'c') },
          },
        })),
      );
      await core.deleteCollectionNamespacedConfigMap({
        namespace: 'team-a',
        labelSelector: 'drop=true',
      });
      expect(
        server
          .list({ apiVersion: 'v1', kind: 'ConfigMap' }, 'team-a')
          .map(o => o.metadata.name),
      ).toEqual(['c']);

      await core.deleteNamespace({ name: 'team-a' });
      expect(server.count({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe(0);
      expect(
        server.get({ apiVersion: 'v1', kind: 'Namespace', name: 'team-a' }),
      ).toBeUndefined();
    });

    it('validates but stores nothing on dryRun=All', async () => {
      const before = server.resourceVersion;
      const created = await core.createNamespacedConfigMap({
        namespace: 'team-a',
        body: configMap('dry'),
        dryRun: 'All',
      });
      expect(created.metadata?.name).toBe('dry');
      expect(
        server.get({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'dry',
          namespace: 'team-a',
        }),
      ).toBeUndefined();
      await core.createNamespacedConfigMap({
        namespace: 'team-a',
        body: configMap('kept'),
      });
      await core.deleteNamespacedConfigMap({
        name: 'kept',
        namespace: 'team-a',
        dryRun: 'All',
      });
      expect(
        server.get({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          name: 'kept',
          namespace: 'team-a',
        }),
      ).toBeDefined();
      expect(Number(server.resourceVersion)).toBe(Number(before) + 1);
    });

    it('answers unknown resources and unsupported verbs like kube-apiserver', async () => {
      const unknown = await fetch(
        `${server.url}/api/v1/namespaces/team-a/widgets`,
      );
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).message).toBe(
        'the server could not find the requested resource',
      );
      const notAllowed = await fetch(`${server.url}/api/v1/namespaces`, {
        method: 'DELETE',
      });
      expect(notAllowed.status).toBe(405);
    });
  });

  describe('programmatic hooks', () => {
    it('applies, patches status, lists, counts and deletes without HTTP', () => {
      const topic = {
        apiVersion: 'platform.mini-atlas.io/v1alpha1',
        kind: 'Topic',
        metadata: { name: 'team-a-orders', namespace: 'team-a' },
        spec: { partitions: 3 },
        status: { state: 'Pending' },
      };
      const created = server.apply(topic);
      expect(created.status).toEqual({ state: 'Pending' }); // hooks write status directly
      const ref = {
        apiVersion: topic.apiVersion,
        kind: 'Topic',
        name: 'team-a-orders',
        namespace: 'team-a',
      };
      const patched = server.patchStatus(ref, {
        state: 'Ready',
        conditions: [{ type: 'Ready', status: 'True' }],
      });
      expect(patched.status).toEqual({
        state: 'Ready',
        conditions: [{ type: 'Ready', status: 'True' }],
      });
      expect(patched.metadata.generation).toBe(1);
      const replaced = server.apply({ ...topic, spec: { partitions: 6 } });
      expect(replaced.metadata.generation).toBe(2);
      expect(replaced.metadata.uid).toBe(created.metadata.uid);

      // Copies: changing what a hook returned does not change the store.
      replaced.spec = { partitions: 1 };
      expect(server.get(ref)?.spec).toEqual({ partitions: 6 });

      expect(
        server
          .list({ apiVersion: topic.apiVersion, kind: 'Topic' })
          .map(t => t.metadata.name),
      ).toEqual(['team-a-orders']);
      expect(
        server.count({ apiVersion: topic.apiVersion, kind: 'Topic' }, 'team-b'),
      ).toBe(0);
      expect(server.delete(ref)?.metadata.name).toBe('team-a-orders');
      expect(server.delete(ref)).toBeUndefined();
      expect(() => server.patchStatus(ref, {})).toThrow(
        'topics.platform.mini-atlas.io "team-a-orders" not found',
      );
      expect(() =>
        server.get({ apiVersion: 'x/v1', kind: 'Nope', name: 'a' }),
      ).toThrow('no matches for kind "Nope" in version "x/v1"');
    });
  });

  describe('faults and request accounting', () => {
    it('fails the next matching requests with the given status', async () => {
      server.failNext(2, 503, { verb: 'list', retryAfterSeconds: 1 });
      const first = await statusOf(core.listNamespace());
      expect(first).toMatchObject({
        code: 503,
        body: {
          reason: 'ServiceUnavailable',
          details: { retryAfterSeconds: 1 },
        },
      });
      await core.readNamespace({ name: 'team-a' }); // not a list: unaffected
      expect((await statusOf(core.listNamespace())).code).toBe(503);
      expect((await core.listNamespace()).items.length).toBeGreaterThan(0);
    });

    it('delays answers with latency', async () => {
      server.latency(150);
      const started = Date.now();
      await core.readNamespace({ name: 'team-a' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      server.latency(0);
    });

    it('refuses connections during an outage', async () => {
      await server.outage(true);
      await expect(core.readNamespace({ name: 'team-a' })).rejects.toThrow(
        /ECONNREFUSED/,
      );
      await server.outage(false);
      expect(
        (await core.readNamespace({ name: 'team-a' })).metadata?.name,
      ).toBe('team-a');
    });

    it('counts requests by verb and path and keeps a log', async () => {
      server.resetRequests();
      await core.listNamespacedConfigMap({ namespace: 'team-a' });
      await core.listNamespacedConfigMap({
        namespace: 'team-a',
        labelSelector: 'a=b',
      });
      await core.readNamespace({ name: 'team-a' });
      await fetch(`${server.url}/api/v1`);
      expect(server.requestCounts()).toEqual({
        total: 4,
        byVerb: { list: 2, get: 2 },
        byVerbAndPath: {
          'list /api/v1/namespaces/team-a/configmaps': 2,
          'get /api/v1/namespaces/team-a': 1,
          'get /api/v1': 1,
        },
      });
      expect(server.requestLog()[1]).toMatchObject({
        method: 'GET',
        verb: 'list',
        resource: 'configmaps',
        namespace: 'team-a',
        query: 'labelSelector=a%3Db',
        status: 200,
      });
    });
  });
});
