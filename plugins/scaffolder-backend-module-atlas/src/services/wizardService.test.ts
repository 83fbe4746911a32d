import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { createGitopsService } from '@mini-atlas/plugin-atlas-node';
import { createWizardService } from './wizardService';

const repoRoot = path.resolve(__dirname, '../../../..');

describe('createWizardService isNamespaced', () => {
  const gitops = createGitopsService({ repoRoot, watch: false });
  const config = mockServices.rootConfig({ data: {} });
  afterAll(() => gitops.close());

  it('asks the cluster (API discovery) first', () => {
    const cluster = {
      isNamespaced: (_apiVersion: string, kind: string) =>
        kind === 'KafkaTopic' ? true : undefined,
    };
    const wizard = createWizardService({ gitops, config, cluster });
    expect(wizard.isNamespaced('kafka.strimzi.io/v1', 'KafkaTopic')).toBe(true);
    // what the cluster does not know falls back to core Kubernetes
    expect(wizard.isNamespaced('v1', 'Namespace')).toBe(false);
  });

  it('knows core Kubernetes kinds without a cluster, and nothing else', () => {
    const wizard = createWizardService({ gitops, config });
    expect(wizard.isNamespaced('apps/v1', 'Deployment')).toBe(true);
    expect(wizard.isNamespaced('networking.k8s.io/v1', 'Ingress')).toBe(true);
    expect(wizard.isNamespaced('v1', 'Namespace')).toBe(false);
    expect(wizard.isNamespaced('cilium.io/v2', 'CiliumNetworkPolicy')).toBeUndefined();
  });
});
