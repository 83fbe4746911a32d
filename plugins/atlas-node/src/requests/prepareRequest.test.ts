import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  createGitopsService,
  type GitopsSnapshot,
} from '../gitops/GitopsService';
import {
  assertMayRequest,
  checkRequestName,
  prepareRequest,
} from './prepareRequest';

const gitopsDir = path.resolve(__dirname, '../../../../gitops');

describe('prepareRequest', () => {
  let snapshot: GitopsSnapshot;
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-prepare-'));
    await fs.cp(gitopsDir, path.join(dir, 'gitops'), { recursive: true });
    const service = createGitopsService({ repoRoot: dir, watch: false });
    snapshot = await service.snapshot();
    service.close();
  });

  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('prepares a Topic with its files and the KafkaTopic KRO will create', () => {
    const prepared = prepareRequest(snapshot, {
      kind: 'topic',
      workspace: 'team-a',
      name: 'payments',
      owner: 'group:default/team-a',
      spec: { partitions: 6 },
    });
    expect(prepared.objectName).toBe('team-a-payments');
    expect(prepared.instance).toEqual({
      apiVersion: 'platform.mini-atlas.io/v1alpha1',
      kind: 'Topic',
      metadata: {
        name: 'team-a-payments',
        namespace: 'team-a',
        labels: { 'mini-atlas.io/owner': 'team-a' },
      },
      spec: { partitions: 6 },
    });
    expect(prepared.files).toEqual({
      instance: 'workspaces/team-a/topic-payments.yaml',
      kustomizations: [
        {
          path: 'workspaces/team-a/kustomization.yaml',
          entry: 'topic-payments.yaml',
        },
      ],
    });
    const [topic] = prepared.preview.resources;
    expect(topic.objects[0]).toMatchObject({
      apiVersion: 'kafka.strimzi.io/v1',
      kind: 'KafkaTopic',
      metadata: { name: 'team-a-payments', namespace: 'kafka' },
      spec: {
        partitions: 6,
        replicas: 1,
        config: { 'retention.ms': 604800000 },
      },
    });
  });

  it('prepares a Workspace with the owner filled into its spec', () => {
    const prepared = prepareRequest(snapshot, {
      kind: 'Workspace',
      workspace: 'team-c',
      owner: 'team-b',
    });
    expect(prepared.instance.metadata).toEqual({
      name: 'team-c',
      labels: { 'mini-atlas.io/owner': 'team-b' },
    });
    expect(prepared.instance.spec).toEqual({ owner: 'team-b' });
    expect(prepared.preview.resources.map(r => r.id)).toEqual([
      'workspaceNamespace',
      'isolation',
      'quota',
      'limits',
      'requests',
    ]);
    expect(prepared.files.kustomizations.map(k => k.path)).toEqual([
      'workspaces/kustomization.yaml',
      'workspaces/team-c/kustomization.yaml',
    ]);
  });

  it.each([
    [{ kind: 'Bucket' }, InputError, /Unknown kind "Bucket"/],
    [{ workspace: 'team-z' }, InputError, /workspace "team-z" does not exist/],
    [{ name: 'orders' }, ConflictError, /already taken.*Topic team-a-orders/],
    [{ name: 'web' }, ConflictError, /WebApplication team-a-web/],
    [{ owner: 'user:default/guest' }, InputError, /must be a Group/],
    [{ spec: { partitions: 13 } }, InputError, /spec.partitions must be <= 12/],
    [
      { spec: { colour: 'red' } },
      InputError,
      /spec.colour is not a known field/,
    ],
    [{ spec: 'partitions: 3' }, InputError, /spec must be a map/],
  ])('refuses %j', (override, type, message) => {
    const request = {
      kind: 'Topic',
      workspace: 'team-a',
      name: 'payments',
      owner: 'team-a',
      ...override,
    };
    expect(() => prepareRequest(snapshot, request)).toThrow(type);
    expect(() => prepareRequest(snapshot, request)).toThrow(message);
  });

  it('checks that picker values name instances of the workspace', () => {
    const request = {
      kind: 'WebApplication',
      workspace: 'team-a',
      name: 'api',
      owner: 'team-a',
      spec: {
        image: 'nginx',
        database: 'team-a-data',
        topics: ['team-a-orders'],
      },
    };
    expect(prepareRequest(snapshot, request).preview.resources).toHaveLength(3);
    expect(() =>
      prepareRequest(snapshot, {
        ...request,
        spec: { image: 'nginx', topics: ['team-a-orders', 'team-b-x'] },
      }),
    ).toThrow(/spec.topics: workspace team-a has no Topic named "team-b-x"/);
    expect(() =>
      prepareRequest(snapshot, {
        ...request,
        spec: { image: 'nginx', database: 'team-a-orders' },
      }),
    ).toThrow(
      /spec.database: workspace team-a has no Infrastructure named "team-a-orders"/,
    );
  });
});

describe('prepareRequest child collisions', () => {
  let snapshot: GitopsSnapshot;
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-collide-'));
    await fs.cp(gitopsDir, path.join(dir, 'gitops'), { recursive: true });
    const service = createGitopsService({ repoRoot: dir, watch: false });
    snapshot = await service.snapshot();
    service.close();
  });

  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('refuses a name whose objects another request of the workspace already creates', () => {
    // Infrastructure team-a-data runs Redis as Deployment team-a-data-redis
    expect(() =>
      prepareRequest(snapshot, {
        kind: 'WebApplication',
        workspace: 'team-a',
        name: 'data-redis',
        owner: 'team-a',
        spec: { image: 'ghcr.io/example/app' },
      }),
    ).toThrow(
      new ConflictError(
        '"data-redis" would make KRO create Deployment team-a/team-a-data-redis, which Infrastructure team-a-data already creates; choose another name',
      ),
    );
  });

  it('accepts names whose objects differ in kind or name', () => {
    // the Workspace creates ResourceQuota team-a-quota; a Deployment of that name is another object
    expect(
      prepareRequest(snapshot, {
        kind: 'WebApplication',
        workspace: 'team-a',
        name: 'quota',
        owner: 'team-a',
        spec: { image: 'ghcr.io/example/app' },
      }).objectName,
    ).toBe('team-a-quota');
    expect(
      prepareRequest(snapshot, {
        kind: 'Topic',
        workspace: 'team-a',
        name: 'data-events',
        owner: 'team-a',
      }).objectName,
    ).toBe('team-a-data-events');
  });
});

describe('checkRequestName', () => {
  let snapshot: GitopsSnapshot;
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-names-'));
    await fs.cp(gitopsDir, path.join(dir, 'gitops'), { recursive: true });
    const service = createGitopsService({ repoRoot: dir, watch: false });
    snapshot = await service.snapshot();
    service.close();
  });

  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('reports free, taken and invalid names', () => {
    expect(checkRequestName(snapshot, 'Topic', 'team-a', 'new')).toEqual({
      problems: [],
      available: true,
    });
    expect(checkRequestName(snapshot, 'Topic', 'team-a', 'data')).toEqual({
      problems: [],
      takenBy: 'Infrastructure team-a-data',
      available: false,
    });
    expect(checkRequestName(snapshot, 'Workspace', 'team-a')).toMatchObject({
      takenBy: 'Workspace team-a',
      available: false,
    });
    expect(
      checkRequestName(snapshot, 'Workspace', 'kafka').problems.join(),
    ).toMatch(/reserved/);
    expect(
      checkRequestName(
        snapshot,
        'Topic',
        'team-a',
        'x'.repeat(57),
      ).problems.join(),
    ).toMatch(/at most 56 here/);
  });
});

describe('assertMayRequest', () => {
  let snapshot: GitopsSnapshot;
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-access-'));
    await fs.cp(gitopsDir, path.join(dir, 'gitops'), { recursive: true });
    const service = createGitopsService({ repoRoot: dir, watch: false });
    snapshot = await service.snapshot();
    service.close();
  });

  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  const topic = () => ({
    abstraction: snapshot.registry.get('Topic')!,
    workspace: 'team-a',
    owner: 'team-a',
  });

  it('lets members of the owner group add to a workspace', () => {
    expect(() =>
      assertMayRequest(snapshot, topic(), { groups: ['team-a'] }),
    ).not.toThrow();
  });

  it('refuses others, and owners they do not belong to', () => {
    expect(() =>
      assertMayRequest(snapshot, topic(), {
        ref: 'user:default/bob',
        groups: ['team-b'],
      }),
    ).toThrow(NotAllowedError);
    expect(() =>
      assertMayRequest(
        snapshot,
        { ...topic(), owner: 'team-b' },
        { ref: 'user:default/guest', groups: ['team-a'] },
      ),
    ).toThrow(/not a member of group team-b/);
  });

  it('lets anyone create a workspace for a group they belong to', () => {
    const workspace = {
      abstraction: snapshot.registry.workspace(),
      workspace: 'team-b2',
      owner: 'team-b',
    };
    expect(() =>
      assertMayRequest(snapshot, workspace, { groups: ['team-b'] }),
    ).not.toThrow();
    expect(() =>
      assertMayRequest(snapshot, workspace, { groups: ['team-a'] }),
    ).toThrow(NotAllowedError);
  });
});
