import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createFakeRepo, renderedEntryPoint } from './__testUtils__/fakeRepo';
import {
  readCiliumHelmRelease,
  readWorkspaceNames,
  setGitRepositoryUrl,
} from './gitops';

describe('setGitRepositoryUrl', () => {
  it('sets the URL of flux-system/mini-atlas and keeps every other document and field', () => {
    const result = setGitRepositoryUrl(
      renderedEntryPoint,
      'http://172.18.0.1:8470/mini-atlas.git',
    );
    const docs = parseAllDocuments(result.manifests).map(d => d.toJS());
    const before = parseAllDocuments(renderedEntryPoint).map(d => d.toJS());
    expect(docs[0].spec.url).toBe('http://172.18.0.1:8470/mini-atlas.git');
    expect({ ...docs[0], spec: { ...docs[0].spec, url: 'x' } }).toEqual({
      ...before[0],
      spec: { ...before[0].spec, url: 'x' },
    });
    expect(docs[1]).toEqual(before[1]);
    expect(result.branch).toBe('main');
  });

  it('leaves GitRepositories with other names alone', () => {
    const input = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: other, namespace: flux-system}
spec: {url: https://example.com/other.git}
---
${renderedEntryPoint}`;
    const docs = parseAllDocuments(
      setGitRepositoryUrl(input, 'http://h/x.git').manifests,
    ).map(d => d.toJS());
    expect(docs.map(d => d.spec.url).filter(Boolean)).toEqual([
      'https://example.com/other.git',
      'http://h/x.git',
    ]);
  });

  it('refuses an entry point without the GitRepository', () => {
    expect(() =>
      setGitRepositoryUrl(
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n',
        'http://h/x.git',
      ),
    ).toThrow(
      'gitops/clusters/mini-atlas holds no GitRepository flux-system/mini-atlas (source.toolkit.fluxcd.io); the Flux chain cannot start without it',
    );
  });
});

describe('reading the gitops folder', () => {
  let repo: ReturnType<typeof createFakeRepo>;
  beforeEach(() => {
    repo = createFakeRepo();
  });
  afterEach(() => repo.cleanup());

  it('lists the workspaces of gitops/workspaces/kustomization.yaml', () => {
    expect(readWorkspaceNames(repo.root)).toEqual(['team-a', 'team-b']);
    fs.rmSync(path.join(repo.root, 'gitops/workspaces/team-b'), {
      recursive: true,
    });
    expect(readWorkspaceNames(repo.root)).toEqual(['team-a']);
    fs.rmSync(path.join(repo.root, 'gitops/workspaces'), { recursive: true });
    expect(readWorkspaceNames(repo.root)).toEqual([]);
  });

  it('takes the cluster-scoped platform instances listed there as workspaces, whatever their kind', () => {
    const dir = path.join(repo.root, 'gitops/workspaces');
    fs.writeFileSync(
      path.join(dir, 'team-a/workspace.yaml'),
      'apiVersion: platform.mini-atlas.io/v1alpha1\nkind: Space\nmetadata: {name: team-a}\nspec: {owner: team-a}\n',
    );
    fs.writeFileSync(
      path.join(dir, 'team-b/workspace.yaml'),
      'apiVersion: platform.mini-atlas.io/v1alpha1\nkind: Topic\nmetadata: {name: team-b-x, namespace: team-b}\nspec: {}\n',
    );
    expect(readWorkspaceNames(repo.root)).toEqual(['team-a']);
  });

  it('finds the Cilium HelmRelease values', () => {
    expect(readCiliumHelmRelease(repo.root)).toEqual({
      file: 'gitops/core/controllers/cilium.yaml',
      version: '1.20.0',
      values: {
        kubeProxyReplacement: true,
        k8sServiceHost: 'mini-atlas-control-plane',
        k8sServicePort: 6443,
        ipam: { mode: 'kubernetes' },
        ingressController: { enabled: true },
      },
    });
    fs.rmSync(path.join(repo.root, 'gitops/core'), { recursive: true });
    expect(readCiliumHelmRelease(repo.root)).toBeUndefined();
  });
});
