import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '@mini-atlas/plugin-atlas-common';
import { FakeHandler } from './testEnvironment';

interface ClusterFixture {
  gitrepositories: KubeObject[];
  kustomizations: KubeObject[];
  helmreleases: KubeObject[];
  resourcegraphdefinitions: KubeObject[];
  instances: Record<string, KubeObject[]>;
  errors: Record<string, string>;
}

/** Loads `src/__fixtures__/<name>.yaml`. */
export function loadClusterFixture(name: string): ClusterFixture {
  return parse(
    fs.readFileSync(
      path.resolve(__dirname, '..', '__fixtures__', `${name}.yaml`),
      'utf8',
    ),
  );
}

function list(items: KubeObject[]) {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    metadata: { resourceVersion: '' },
    items,
  });
}

/**
 * Answers kubectl the way a cluster holding the fixture would (at any context), and
 * `kubectl version --client`. Unknown commands succeed with empty output.
 */
export function clusterFixtureHandler(fixture: ClusterFixture): FakeHandler {
  return (command, args) => {
    if (command !== 'kubectl') return undefined;
    const rest = args[0] === '--context' ? args.slice(2) : args;
    if (rest[0] === 'version')
      return { stdout: 'Client Version: v1.36.1\nKustomize Version: v5.7.1\n' };
    if (rest[0] !== 'get') return undefined;
    if (rest[1] === '--raw') return { stdout: 'ok' };
    const namespaceIndex = rest.indexOf('-n');
    const inNamespace = (items: KubeObject[]) =>
      namespaceIndex === -1
        ? items
        : items.filter(
            item => item.metadata.namespace === rest[namespaceIndex + 1],
          );
    const resource = rest[1];
    if (resource === 'gitrepositories.source.toolkit.fluxcd.io') {
      return { stdout: list(inNamespace(fixture.gitrepositories)) };
    }
    if (resource === 'kustomizations.kustomize.toolkit.fluxcd.io') {
      return { stdout: list(inNamespace(fixture.kustomizations)) };
    }
    if (resource === 'helmreleases.helm.toolkit.fluxcd.io') {
      return { stdout: list(inNamespace(fixture.helmreleases)) };
    }
    if (resource === 'resourcegraphdefinitions.kro.run') {
      return { stdout: list(fixture.resourcegraphdefinitions) };
    }
    const match = /^([a-z0-9]+)\.platform\.mini-atlas\.io$/.exec(resource);
    if (match) {
      const kind = match[1];
      if (fixture.errors[kind])
        return { code: 1, stderr: `${fixture.errors[kind]}\n` };
      return { stdout: list(fixture.instances[kind] ?? []) };
    }
    return {
      code: 1,
      stderr: `error: the server doesn't have a resource type "${resource}"\n`,
    };
  };
}
