import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../__testUtils__/wizardTestEnv';
import {
  generateTemplates,
  templateDrift,
  writeTemplates,
} from './generateTemplates';
import { fieldTitle } from './templateFromAbstraction';

const fixtureRgd = path.resolve(
  __dirname,
  '../__fixtures__/scheduledjob-rgd.yaml',
);

/** A copy of the repository's gitops/ and templates/ folders. */
async function copyRepo() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'atlas-templates-'));
  await fs.cp(path.join(repoRoot, 'gitops'), path.join(dir, 'gitops'), {
    recursive: true,
  });
  await fs.cp(path.join(repoRoot, 'templates'), path.join(dir, 'templates'), {
    recursive: true,
  });
  return dir;
}

describe('wizard templates', () => {
  it('the committed templates are exactly what the RGDs generate (run `yarn templates` if not)', async () => {
    expect(await templateDrift({ repoRoot })).toEqual({
      outdated: [],
      missing: [],
      stale: [],
    });
  });

  it('there is one template per abstraction, registered in the catalog', async () => {
    const generated = await generateTemplates({ repoRoot });
    expect(generated.map(g => [g.kind, g.path])).toEqual([
      ['Workspace', 'templates/workspace/template.yaml'],
      ['Infrastructure', 'templates/infrastructure/template.yaml'],
      ['Topic', 'templates/topic/template.yaml'],
      ['WebApplication', 'templates/webapplication/template.yaml'],
    ]);
    const location = parse(
      await fs.readFile(path.join(repoRoot, 'catalog-info.yaml'), 'utf8'),
    );
    expect(location.spec.targets).toContain('./templates/*/template.yaml');
  });

  it('takes fields, defaults, bounds and pickers from the RGD schema and its overlay', async () => {
    const [, infrastructure, topic, web] = (
      await generateTemplates({ repoRoot })
    ).map(g => parse(g.text));
    const topicSpec = topic.spec.parameters[1].properties.spec;
    expect(topicSpec.properties.partitions).toEqual({
      title: 'Partitions',
      type: 'integer',
      description: expect.stringMatching(/^Number of partitions/),
      default: 3,
      minimum: 1,
      maximum: 12,
    });
    expect(topicSpec.properties.retentionHours.title).toBe('Retention (hours)');
    expect(
      infrastructure.spec.parameters[1].properties.spec.properties.database
        .properties.instances,
    ).toMatchObject({ title: 'PostgreSQL servers', maximum: 3 });
    const webSpec = web.spec.parameters[1].properties.spec;
    expect(webSpec.required).toEqual(['image']);
    expect(webSpec.additionalProperties).toBe(false);
    expect(webSpec.properties.topics).toMatchObject({
      type: 'array',
      items: { type: 'string' },
      'ui:field': 'AtlasInstancePicker',
      'ui:options': { kind: 'Topic' },
    });
    expect(web.spec.parameters[0].properties).toMatchObject({
      workspace: { 'ui:field': 'AtlasWorkspacePicker' },
      name: {
        'ui:field': 'AtlasName',
        'ui:options': { kind: 'WebApplication', names: 'request' },
      },
      owner: { 'ui:field': 'MyGroupsPicker' },
    });
  });

  it('asks a workspace for its name and owner, never twice for the owner', async () => {
    const [workspace] = (await generateTemplates({ repoRoot })).map(g =>
      parse(g.text),
    );
    expect(Object.keys(workspace.spec.parameters[0].properties)).toEqual([
      'workspace',
      'owner',
    ]);
    expect(
      Object.keys(workspace.spec.parameters[1].properties.spec.properties),
    ).toEqual(['description', 'quota']);
    expect(workspace.spec.steps[0].input).toEqual({
      kind: 'Workspace',
      workspace: '${{ parameters.workspace }}',
      owner: '${{ parameters.owner }}',
      spec: '${{ parameters.spec }}',
    });
  });

  it('reports a template that drifted from its RGD', async () => {
    const dir = await copyRepo();
    try {
      const rgd = path.join(dir, 'gitops/foundation/rgds/topic.yaml');
      await fs.writeFile(
        rgd,
        (await fs.readFile(rgd, 'utf8')).replace('maximum=12', 'maximum=24'),
      );
      await fs.rm(path.join(dir, 'templates/workspace'), { recursive: true });
      expect(await templateDrift({ repoRoot: dir })).toEqual({
        outdated: ['templates/topic/template.yaml'],
        missing: ['templates/workspace/template.yaml'],
        stale: [],
      });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('a fifth RGD yields its template with no new code, and a removed one loses it', async () => {
    const dir = await copyRepo();
    try {
      await fs.copyFile(
        fixtureRgd,
        path.join(dir, 'gitops/foundation/rgds/scheduledjob.yaml'),
      );
      expect((await templateDrift({ repoRoot: dir })).missing).toEqual([
        'templates/scheduledjob/template.yaml',
      ]);
      const { written } = await writeTemplates({ repoRoot: dir });
      expect(written).toContain('templates/scheduledjob/template.yaml');
      const template = parse(
        await fs.readFile(
          path.join(dir, 'templates/scheduledjob/template.yaml'),
          'utf8',
        ),
      );
      expect(template.metadata).toMatchObject({
        name: 'atlas-scheduledjob',
        title: 'Scheduled job',
      });
      expect(
        template.spec.parameters[1].properties.spec.properties,
      ).toMatchObject({
        schedule: { title: 'Schedule (cron)', pattern: '^(\\S+ ){4}\\S+$' },
        concurrency: {
          enum: ['Allow', 'Forbid', 'Replace'],
          default: 'Forbid',
        },
        retries: { minimum: 0, maximum: 5 },
      });
      expect(template.spec.steps[0].input.kind).toBe('ScheduledJob');

      await fs.rm(path.join(dir, 'gitops/foundation/rgds/scheduledjob.yaml'));
      expect((await templateDrift({ repoRoot: dir })).stale).toEqual([
        'templates/scheduledjob/template.yaml',
      ]);
      expect((await writeTemplates({ repoRoot: dir })).removed).toEqual([
        'templates/scheduledjob/template.yaml',
      ]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['retentionHours', 'Retention hours'],
    ['image', 'Image'],
    ['max_connections', 'Max connections'],
  ])('titles %s as %s', (name, title) => {
    expect(fieldTitle(name)).toBe(title);
  });
});
