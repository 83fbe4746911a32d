import fs from 'node:fs/promises';
import path from 'node:path';
import {
  readGitopsTree,
  registryFromTree,
} from '@mini-atlas/plugin-atlas-node';
import { GITOPS_LAYOUT } from '@mini-atlas/plugin-atlas-common';
import { stringify } from 'yaml';
import {
  TEMPLATE_INPUTS,
  templateFromAbstraction,
} from './templateFromAbstraction';

/**
 * One generated template file.
 *
 * @public
 */
export interface GeneratedTemplate {
  /** Path relative to the repository root: `templates/<rgd name>/template.yaml`. */
  path: string;
  kind: string;
  text: string;
}

/**
 * Generates the wizard template of every abstraction in `<gitopsPath>/foundation/`. Throws when
 * the RGDs cannot be read as abstractions.
 *
 * @public
 */
export async function generateTemplates(options: {
  repoRoot: string;
  gitopsPath?: string;
  templatesDir?: string;
}): Promise<GeneratedTemplate[]> {
  const gitopsPath = options.gitopsPath ?? 'gitops';
  const templatesDir = options.templatesDir ?? 'templates';
  const tree = await readGitopsTree(path.join(options.repoRoot, gitopsPath), {
    // the Delivery layer can be large and holds no RGDs
    skip: file => file.startsWith(`${GITOPS_LAYOUT.workspaces}/`),
  });
  const unreadable = tree.problems.find(p =>
    p.file.startsWith(`${GITOPS_LAYOUT.foundation}/`),
  );
  if (unreadable) {
    throw new Error(
      `${gitopsPath}/${unreadable.file} cannot be read: ${unreadable.message}`,
    );
  }
  const { registry, problem } = registryFromTree(tree);
  if (!registry) {
    throw new Error(
      `The abstractions cannot be read: ${problem?.file}: ${problem?.message}`,
    );
  }
  return registry.list().map(abstraction => {
    const source = `${gitopsPath}/${abstraction.source}`;
    const header = [
      `# The wizard of ${abstraction.kind}, generated from ${source}`,
      `# (${TEMPLATE_INPUTS.join(', ')}) by \`yarn templates\`. Do not edit:`,
      '# change the RGD and run `yarn templates` again; a test fails while this file is out of date.',
    ].join('\n');
    return {
      path: `${templatesDir}/${abstraction.name}/template.yaml`,
      kind: abstraction.kind,
      text: `${header}\n${stringify(
        templateFromAbstraction(abstraction, source),
        { lineWidth: 0 },
      )}`,
    };
  });
}

/**
 * Compares the generated templates with the files in the repository: those missing or out of
 * date, and generated templates whose RGD is gone (`stale`).
 *
 * @public
 */
export async function templateDrift(options: {
  repoRoot: string;
  gitopsPath?: string;
  templatesDir?: string;
}): Promise<{ outdated: string[]; missing: string[]; stale: string[] }> {
  const templatesDir = options.templatesDir ?? 'templates';
  const generated = await generateTemplates(options);
  const outdated: string[] = [];
  const missing: string[] = [];
  for (const template of generated) {
    const current = await fs
      .readFile(path.join(options.repoRoot, template.path), 'utf8')
      .catch(() => undefined);
    if (current === undefined) missing.push(template.path);
    else if (current !== template.text) outdated.push(template.path);
  }
  const folders = await fs
    .readdir(path.join(options.repoRoot, templatesDir), { withFileTypes: true })
    .catch(() => []);
  const stale: string[] = [];
  for (const folder of folders) {
    const file = `${templatesDir}/${folder.name}/template.yaml`;
    if (!folder.isDirectory() || generated.some(g => g.path === file)) continue;
    // only templates this generator made are its to remove
    const text = await fs
      .readFile(path.join(options.repoRoot, file), 'utf8')
      .catch(() => '');
    if (text.includes('portal.mini-atlas.io/generated-from')) stale.push(file);
  }
  return { outdated, missing, stale };
}

/**
 * Writes every generated template (and removes the folders of RGDs that are gone); returns the
 * paths written and removed.
 *
 * @public
 */
export async function writeTemplates(options: {
  repoRoot: string;
  gitopsPath?: string;
  templatesDir?: string;
}): Promise<{ written: string[]; removed: string[] }> {
  const generated = await generateTemplates(options);
  const { stale } = await templateDrift(options);
  for (const template of generated) {
    const file = path.join(options.repoRoot, template.path);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, template.text, 'utf8');
  }
  for (const file of stale) {
    await fs.rm(path.dirname(path.join(options.repoRoot, file)), {
      recursive: true,
      force: true,
    });
  }
  return { written: generated.map(g => g.path), removed: stale };
}
