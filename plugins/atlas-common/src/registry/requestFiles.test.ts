import { parse } from 'yaml';
import { queueRgd, spaceRgd } from '../__fixtures__/rgds';
import { abstractionFromRgd } from './abstraction';
import { buildInstance } from './instances';
import {
  addKustomizationEntry,
  instanceYaml,
  requestFiles,
} from './requestFiles';

describe('requestFiles', () => {
  it('lists a request in its workspace kustomization', () => {
    expect(requestFiles(abstractionFromRgd(queueRgd), 'team-a', 'jobs')).toEqual({
      instance: 'workspaces/team-a/queue-jobs.yaml',
      kustomizations: [
        { path: 'workspaces/team-a/kustomization.yaml', entry: 'queue-jobs.yaml' },
      ],
    });
  });

  it('lists a workspace in the top kustomization and gives it its own', () => {
    expect(requestFiles(abstractionFromRgd(spaceRgd), 'team-c', 'team-c')).toEqual({
      instance: 'workspaces/team-c/space.yaml',
      kustomizations: [
        { path: 'workspaces/kustomization.yaml', entry: 'team-c/space.yaml' },
        { path: 'workspaces/team-c/kustomization.yaml' },
      ],
    });
  });
});

describe('addKustomizationEntry', () => {
  it('appends to resources and keeps comments', () => {
    const text = [
      '# the requests of team-a',
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - a.yaml # first',
      '',
    ].join('\n');
    const out = addKustomizationEntry(text, 'b.yaml');
    expect(out).toContain('# the requests of team-a');
    expect(out).toContain('# first');
    expect(parse(out).resources).toEqual(['a.yaml', 'b.yaml']);
  });

  it('does not list an entry twice', () => {
    const once = addKustomizationEntry(undefined, 'a.yaml');
    expect(parse(addKustomizationEntry(once, 'a.yaml')).resources).toEqual([
      'a.yaml',
    ]);
  });

  it('creates a missing file, with or without an entry', () => {
    expect(parse(addKustomizationEntry(undefined))).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [],
    });
    expect(parse(addKustomizationEntry(undefined, 'x.yaml')).resources).toEqual([
      'x.yaml',
    ]);
  });

  it('turns an empty flow list into a block list', () => {
    const out = addKustomizationEntry('kind: Kustomization\nresources: []\n', 'x.yaml');
    expect(out).toBe('kind: Kustomization\nresources:\n  - x.yaml\n');
  });

  it('refuses a file that is not YAML', () => {
    expect(() => addKustomizationEntry('resources: [a', 'b.yaml')).toThrow(
      /not valid YAML/,
    );
  });
});

describe('instanceYaml', () => {
  it('writes one document that reads back as the instance', () => {
    const instance = buildInstance(abstractionFromRgd(queueRgd), {
      workspace: 'team-a',
      name: 'jobs',
      owner: 'group:default/team-a',
      spec: { size: 2 },
    });
    const text = instanceYaml(instance);
    expect(text.startsWith('apiVersion: test.mini-atlas.io/v1alpha1\n')).toBe(
      true,
    );
    expect(parse(text)).toEqual(instance);
  });
});
