import fs from 'node:fs/promises';
import path from 'node:path';
import { ConflictError } from '@backstage/errors';
import {
  createTempGitopsRepo,
  type TempGitopsRepo,
} from '../testing/tempGitopsRepo';
import { createGitWriter } from './gitWriter';

const gitopsDir = path.resolve(__dirname, '../../../../gitops');
const author = { name: 'Guest', email: 'guest@example.com' };

// Each test runs dozens of real git processes; on a 2-core machine running other suites at the
// same time that takes more than jest's default 5 s.
jest.setTimeout(60_000);

describe('createGitWriter', () => {
  let repo: TempGitopsRepo;

  beforeEach(async () => {
    repo = await createTempGitopsRepo(gitopsDir);
  });

  afterEach(() => repo.remove());

  it('commits exactly the given files, by the given author, leaving other changes alone', async () => {
    // someone's work in progress: one staged, one unstaged edit
    await fs.writeFile(path.join(repo.dir, 'staged.txt'), 'wip\n');
    await repo.git('add', 'staged.txt');
    await fs.appendFile(path.join(repo.dir, 'gitops/README.md'), '\nlocal\n');

    const writer = createGitWriter({ repoRoot: repo.dir });
    const result = await writer.commit({
      changes: [
        {
          path: 'gitops/workspaces/team-a/topic-x.yaml',
          content: 'kind: Topic\n',
        },
        {
          path: 'gitops/workspaces/team-a/kustomization.yaml',
          update: current => `${current}  - topic-x.yaml\n`,
        },
      ],
      message: 'team-a: add Topic x',
      author,
    });

    expect(result.files).toEqual([
      'gitops/workspaces/team-a/topic-x.yaml',
      'gitops/workspaces/team-a/kustomization.yaml',
    ]);
    expect((await repo.git('rev-parse', 'HEAD')).trim()).toBe(result.commit);
    expect(
      (
        await repo.git(
          'show',
          '--name-only',
          '--format=%an <%ae>|%cn|%s',
          'HEAD',
        )
      )
        .trim()
        .split('\n'),
    ).toEqual([
      'Guest <guest@example.com>|Mini-Atlas Portal|team-a: add Topic x',
      '',
      'gitops/workspaces/team-a/kustomization.yaml',
      'gitops/workspaces/team-a/topic-x.yaml',
    ]);
    expect(
      await repo.git(
        'show',
        'HEAD:gitops/workspaces/team-a/kustomization.yaml',
      ),
    ).toMatch(/- topic-orders\.yaml\n {2}- topic-x\.yaml\n$/);
    // the work in progress is untouched: still staged / still modified, not committed
    expect(
      (await repo.git('status', '--porcelain')).split('\n').sort(),
    ).toEqual(['', ' M gitops/README.md', 'A  staged.txt']);
  });

  it('refuses a file that must be new, and writes nothing', async () => {
    const writer = createGitWriter({ repoRoot: repo.dir });
    const head = await repo.git('rev-parse', 'HEAD');
    await expect(
      writer.commit({
        changes: [
          { path: 'gitops/workspaces/team-a/new.yaml', content: 'a: 1\n' },
          {
            path: 'gitops/workspaces/team-a/topic-orders.yaml',
            content: 'overwritten\n',
            mustNotExist: true,
          },
        ],
        message: 'x',
        author,
      }),
    ).rejects.toThrow(ConflictError);
    expect(await repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(await repo.git('status', '--porcelain')).toBe('');
  });

  it('refuses paths outside the repository before writing anything', async () => {
    const writer = createGitWriter({ repoRoot: repo.dir });
    await expect(
      writer.commit({
        changes: [{ path: '../escape.yaml', content: 'x' }],
        message: 'x',
        author,
      }),
    ).rejects.toThrow(/outside/);
    await expect(
      fs.stat(path.join(repo.dir, '..', 'escape.yaml')),
    ).rejects.toThrow();
  });

  it('rolls the working tree back when git fails', async () => {
    const writer = createGitWriter({ repoRoot: repo.dir, lockTimeoutMs: 300 });
    const head = await repo.git('rev-parse', 'HEAD');
    const before = await fs.readFile(
      path.join(repo.dir, 'gitops/workspaces/kustomization.yaml'),
      'utf8',
    );
    // another process holds the branch: the commit cannot move it
    const lock = path.join(repo.dir, '.git/refs/heads/main.lock');
    await fs.writeFile(lock, '');
    await expect(
      writer.commit({
        changes: [
          {
            path: 'gitops/workspaces/kustomization.yaml',
            update: c => `${c}# changed\n`,
          },
          { path: 'gitops/workspaces/new.yaml', content: 'x: 1\n' },
        ],
        message: 'x',
        author,
      }),
    ).rejects.toThrow(/lock/);
    await fs.rm(lock);
    expect(await repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(await repo.git('status', '--porcelain')).toBe('');
    expect(
      await fs.readFile(
        path.join(repo.dir, 'gitops/workspaces/kustomization.yaml'),
        'utf8',
      ),
    ).toBe(before);
  });

  it('commits through the index on a detached HEAD', async () => {
    await repo.git('checkout', '--quiet', '--detach');
    const writer = createGitWriter({ repoRoot: repo.dir });
    const result = await writer.commit({
      changes: [{ path: 'gitops/detached.yaml', content: 'x: 1\n' }],
      message: 'detached',
      author,
    });
    expect((await repo.git('rev-parse', 'HEAD')).trim()).toBe(result.commit);
    expect((await repo.git('log', '-1', '--format=%an|%s')).trim()).toBe(
      'Guest|detached',
    );
    expect(await repo.git('status', '--porcelain')).toBe('');
  });

  it('builds on a commit made by someone else meanwhile', async () => {
    const writer = createGitWriter({ repoRoot: repo.dir });
    const result = await writer.commit({
      changes: [{ path: 'gitops/a.yaml', content: 'a: 1\n' }],
      message: 'first',
      author,
      // someone commits in the repository while the writer prepares its commit
      precondition: async () => {
        await fs.writeFile(path.join(repo.dir, 'other.txt'), 'other\n');
        await repo.git('add', 'other.txt');
        await repo.git('commit', '-q', '-m', 'someone else');
      },
    });
    expect(
      (await repo.git('log', '--format=%s', '-2')).trim().split('\n'),
    ).toEqual(['first', 'someone else']);
    expect((await repo.git('rev-parse', 'HEAD')).trim()).toBe(result.commit);
  });

  it('serializes concurrent commits to one file: 20 commits, no lost entry, clean tree', async () => {
    const writers = [
      createGitWriter({ repoRoot: repo.dir }),
      createGitWriter({ repoRoot: repo.dir }),
    ];
    const head = (await repo.git('rev-parse', 'HEAD')).trim();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        writers[i % 2].commit({
          changes: [
            {
              path: `gitops/workspaces/team-a/topic-t${i}.yaml`,
              content: `n: ${i}\n`,
            },
            {
              path: 'gitops/workspaces/team-a/kustomization.yaml',
              update: current => `${current}  - topic-t${i}.yaml\n`,
            },
          ],
          message: `team-a: add Topic t${i}`,
          author,
        }),
      ),
    );
    expect(new Set(results.map(r => r.commit)).size).toBe(20);
    expect(
      (await repo.git('rev-list', '--count', `${head}..HEAD`)).trim(),
    ).toBe('20');
    const kustomization = await repo.git(
      'show',
      'HEAD:gitops/workspaces/team-a/kustomization.yaml',
    );
    for (let i = 0; i < 20; i++)
      expect(kustomization).toContain(`- topic-t${i}.yaml\n`);
    expect(await repo.git('status', '--porcelain')).toBe('');
    expect(await repo.git('fsck', '--strict')).toBe('');
  });

  it("waits for another process's index.lock", async () => {
    const writer = createGitWriter({ repoRoot: repo.dir });
    const lock = path.join(repo.dir, '.git', 'index.lock');
    await fs.writeFile(lock, '');
    setTimeout(() => fs.rm(lock), 300);
    const result = await writer.commit({
      changes: [{ path: 'gitops/x.yaml', content: 'x: 1\n' }],
      message: 'x',
      author,
    });
    expect(result.files).toEqual(['gitops/x.yaml']);
    expect(await repo.git('status', '--porcelain')).toBe('');
  });
});
