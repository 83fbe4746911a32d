import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import {
  startKubeTestServer,
  type KubeTestServer,
} from '@mini-atlas/kube-test-server';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  kubeconfigAuthStrategy,
  kubeconfigClusterSupplier,
} from './kubeconfigCluster';
import { kubernetesModuleAtlasCluster } from './module';

const pod = (name: string, instance: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'team-a',
    labels: {
      'app.kubernetes.io/instance': instance,
      'app.kubernetes.io/component': 'web',
    },
  },
  spec: {
    containers: [{ name: 'app', image: 'ghcr.io/stefanprodan/podinfo:6.9.2' }],
  },
  status: { phase: 'Running' },
});

describe('kubernetesModuleAtlasCluster', () => {
  let kube: KubeTestServer;
  let dir: string;

  beforeEach(async () => {
    kube = await startKubeTestServer({
      types: [
        {
          group: '',
          version: 'v1',
          kind: 'Pod',
          plural: 'pods',
          namespaced: true,
          builtIn: true,
        },
        {
          group: 'apps',
          version: 'v1',
          kind: 'ReplicaSet',
          plural: 'replicasets',
          namespaced: true,
          builtIn: true,
        },
      ],
    });
    kube.load([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
      pod('team-a-web-7d9f8b6c5d-abcde', 'team-a-web'),
      pod('team-a-web-7d9f8b6c5d-fghij', 'team-a-web'),
      pod('team-a-other-5f7c-klmno', 'team-a-other'),
    ]);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-k8s-'));
    // a kubeconfig whose user has a token, as real ones have a token or a client certificate
    const kubeconfig = kube.kubeconfigObject('kind-mini-atlas') as any;
    kubeconfig.users[0].user = { token: 'portal-token' };
    await fs.writeFile(path.join(dir, 'config'), JSON.stringify(kubeconfig));
  });

  afterEach(async () => {
    await kube.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("gives the Kubernetes tab the kubeconfig's kind-mini-atlas cluster", async () => {
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'team-a-web',
        namespace: 'default',
        annotations: {
          'backstage.io/kubernetes-label-selector':
            'app.kubernetes.io/instance=team-a-web',
          'backstage.io/kubernetes-namespace': 'team-a',
        },
      },
      spec: {
        type: 'service',
        owner: 'group:default/team-a',
        lifecycle: 'production',
      },
    };
    const { server } = await startTestBackend({
      features: [
        kubernetesPlugin,
        kubernetesModuleAtlasCluster,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({
          data: {
            atlas: { kubernetes: { kubeconfig: path.join(dir, 'config') } },
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [{ type: 'config', clusters: [] }],
              objectTypes: [
                'pods',
                'services',
                'deployments',
                'replicasets',
                'ingresses',
              ],
            },
          },
        }),
      ],
    });
    const clusters = await request(server).get('/api/kubernetes/clusters');
    expect(clusters.status).toBe(200);
    expect(clusters.body.items).toEqual([
      expect.objectContaining({
        name: 'kind-mini-atlas',
        authProvider: 'atlasKubeconfig',
      }),
    ]);
    // The pods themselves are fetched by the Kubernetes backend through a dynamic import of
    // @kubernetes/client-node, which jest cannot run without --experimental-vm-modules: that
    // path is exercised by `yarn bench:status` and the end-to-end run instead.
  });
});

describe('kubeconfig cluster and credentials', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-k8s-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const write = async (
    user: Record<string, unknown>,
    context = 'kind-mini-atlas',
  ) => {
    const file = path.join(dir, `config-${Math.random()}`);
    await fs.writeFile(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: context,
            cluster: {
              server: 'https://127.0.0.1:40423',
              'certificate-authority-data':
                Buffer.from('CA PEM').toString('base64'),
            },
          },
        ],
        users: [{ name: context, user }],
        contexts: [
          { name: context, context: { cluster: context, user: context } },
        ],
        'current-context': context,
      }),
    );
    return file;
  };

  it('reads the cluster of the context, with its CA', async () => {
    const kubeconfig = await write({ token: 't' });
    await expect(
      kubeconfigClusterSupplier({ kubeconfig }).getClusters({} as any),
    ).resolves.toEqual([
      {
        name: 'kind-mini-atlas',
        title: 'kind-mini-atlas',
        url: 'https://127.0.0.1:40423',
        caData: Buffer.from('CA PEM').toString('base64'),
        skipTLSVerify: false,
        skipMetricsLookup: true,
        authMetadata: { 'kubernetes.io/auth-provider': 'atlasKubeconfig' },
      },
    ]);
    // no such context: no cluster (the tab says so) rather than another cluster
    const other = await write({ token: 't' }, 'prod');
    await expect(
      kubeconfigClusterSupplier({ kubeconfig: other }).getClusters({} as any),
    ).resolves.toEqual([]);
  });

  it("authenticates with Kind's client certificate, or a token", async () => {
    const kind = await write({
      'client-certificate-data': Buffer.from('CERT PEM').toString('base64'),
      'client-key-data': Buffer.from('KEY PEM').toString('base64'),
    });
    await expect(
      kubeconfigAuthStrategy({ kubeconfig: kind }).getCredential({} as any, {}),
    ).resolves.toEqual({
      type: 'x509 client certificate',
      cert: 'CERT PEM',
      key: 'KEY PEM',
    });
    const token = await write({ token: 'abc' });
    await expect(
      kubeconfigAuthStrategy({ kubeconfig: token }).getCredential(
        {} as any,
        {},
      ),
    ).resolves.toEqual({
      type: 'bearer token',
      token: 'abc',
    });
  });
});
