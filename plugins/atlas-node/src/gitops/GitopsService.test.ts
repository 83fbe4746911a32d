import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  createGitopsService,
  findRepoRoot,
  type GitopsService,
} from './GitopsService';

const repoRoot = path.resolve(__dirname, '../../../..');

describe('GitopsService', () => {
  let dir: string;
  let service: GitopsService | undefined;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-gitops-service-'));
    await fs.cp(path.join(repoRoot, 'gitops'), path.join(dir, 'gitops'), {
      recursive: true,
    });
    await fs.mkdir(path.join(dir, '.git'));
  });

  afterEach(async () => {
    service?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads the abstractions, workspaces and requests of the shipped folder', async () => {
    service = createGitopsService({ repoRoot: dir, watch: false });
    const snapshot = await service.snapshot();
    expect(snapshot.registry.list().map(a => a.kind)).toEqual([
      'Workspace',
      'Infrastructure',
      'Topic',
      'WebApplication',
    ]);
    expect([...snapshot.workspaces.keys()]).toEqual(['team-a']);
    expect(snapshot.workspaces.get('team-a')).toMatchObject({
      owner: 'team-a',
      file: 'workspaces/team-a/workspace.yaml',
    });
    expect(
      snapshot.instances.map(i => `${i.abstraction.kind}/${i.name}`),
    ).toEqual(['Infrastructure/data', 'Topic/orders', 'WebApplication/web']);
    expect(snapshot.reservedNamespaces).toEqual(
      expect.arrayContaining(['kafka', 'kro-system', 'flux-system']),
    );
    expect(snapshot.problems).toEqual([]);
  });

  it('re-reads a changed file when told, and reports files that are not instances', async () => {
    service = createGitopsService({ repoRoot: dir, watch: false });
    const before = await service.snapshot();
    expect(await service.snapshot()).toBe(before); // cached until something changes
    const file = 'workspaces/team-a/topic-payments.yaml';
    await fs.writeFile(
      path.join(dir, 'gitops', file),
      'apiVersion: platform.mini-atlas.io/v1alpha1\nkind: Topic\nmetadata: {name: team-a-payments, namespace: team-a}\nspec: {}\n',
    );
    await fs.writeFile(
      path.join(dir, 'gitops/workspaces/team-a/notes.yaml'),
      'kind: Note\nmetadata: {name: x}\n',
    );
    const seen: string[][] = [];
    service.onChange(files => seen.push(files));
    service.notifyChanged([file, 'workspaces/team-a/notes.yaml']);
    const after = await service.snapshot();
    expect(seen).toEqual([[file, 'workspaces/team-a/notes.yaml']]);
    expect(after.instances.map(i => i.name)).toContain('payments');
    expect(after.problems).toEqual([
      {
        file: 'workspaces/team-a/notes.yaml',
        message: expect.stringContaining(
          'not an instance of a platform abstraction',
        ),
      },
    ]);
    await fs.rm(path.join(dir, 'gitops', file));
    service.notifyChanged([file]);
    expect((await service.snapshot()).instances.map(i => i.name)).not.toContain(
      'payments',
    );
  });

  it('notices edits by hand through the folder watch', async () => {
    service = createGitopsService({ repoRoot: dir, watch: true });
    await service.snapshot();
    const changed = new Promise<string[]>(resolve =>
      service!.onChange(resolve),
    );
    await fs.writeFile(
      path.join(dir, 'gitops/workspaces/team-a/topic-audit.yaml'),
      'apiVersion: platform.mini-atlas.io/v1alpha1\nkind: Topic\nmetadata: {name: team-a-audit, namespace: team-a}\nspec: {}\n',
    );
    expect(await changed).toEqual(['workspaces/team-a/topic-audit.yaml']);
    expect((await service.snapshot()).instances.map(i => i.name)).toContain(
      'audit',
    );
  });

  it('finds the repository root above a folder inside it', () => {
    expect(findRepoRoot(path.join(repoRoot, 'packages', 'backend'))).toBe(
      repoRoot,
    );
    expect(findRepoRoot(os.tmpdir())).toBeUndefined();
  });
});
