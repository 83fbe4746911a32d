import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const files: Record<string, string> = {
  'gitops/clusters/mini-atlas/kind-config.yaml': `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
name: mini-atlas
networking:
  disableDefaultCNI: true
  kubeProxyMode: "none"
nodes:
  - role: control-plane
  - role: worker
`,
  'gitops/clusters/mini-atlas/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - git-repository.yaml
  - layers.yaml
`,
  'gitops/core/controllers/cilium.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: cilium
  namespace: flux-system
spec:
  url: https://helm.cilium.io/
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cilium
  namespace: flux-system
spec:
  releaseName: cilium
  targetNamespace: kube-system
  chart:
    spec:
      chart: cilium
      version: 1.20.0
      sourceRef: {kind: HelmRepository, name: cilium}
  values:
    kubeProxyReplacement: true
    k8sServiceHost: mini-atlas-control-plane
    k8sServicePort: 6443
    ipam:
      mode: kubernetes
    ingressController:
      enabled: true
`,
  'gitops/workspaces/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - team-a/workspace.yaml
  - team-b/workspace.yaml
`,
  'gitops/workspaces/team-a/workspace.yaml': `apiVersion: platform.mini-atlas.io/v1alpha1
kind: Workspace
metadata:
  name: team-a
spec:
  owner: team-a
`,
  'gitops/workspaces/team-b/workspace.yaml': `apiVersion: platform.mini-atlas.io/v1alpha1
kind: Workspace
metadata:
  name: team-b
spec:
  owner: team-b
`,
};

/** What `kubectl kustomize gitops/clusters/mini-atlas` prints for the fake repository. */
export const renderedEntryPoint = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: mini-atlas
  namespace: flux-system
spec:
  ignore: |
    /*
    !/gitops/
  interval: 1m
  ref:
    branch: main
  url: http://172.18.0.1:8080/mini-atlas.git
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: core-controllers
  namespace: flux-system
spec:
  interval: 10m
  path: ./gitops/core/controllers
  prune: true
  sourceRef:
    kind: GitRepository
    name: mini-atlas
  wait: true
`;

/**
 * A temporary checkout with the gitops files `up` reads. `omit` leaves files out.
 */
export function createFakeRepo(options: { omit?: string[] } = {}): {
  root: string;
  cleanup(): void;
} {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-repo-'));
  for (const [file, content] of Object.entries(files)) {
    if (options.omit?.includes(file)) continue;
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return {
    root,
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
