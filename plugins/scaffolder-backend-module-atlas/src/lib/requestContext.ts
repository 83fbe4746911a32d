import fs from 'node:fs/promises';
import path from 'node:path';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import {
  addKustomizationEntry,
  instanceYaml,
  userGroupNames,
} from '@mini-atlas/plugin-atlas-common';
import type { PreparedRequest } from '@mini-atlas/plugin-atlas-node';
import type { WizardService } from '../services/wizardService';

/** The user who runs the task, as the access checks and the commit author need it. */
export function taskUser(ctx: Pick<ActionContext<JsonObject>, 'user'>) {
  const entity = ctx.user?.entity;
  const ref = ctx.user?.ref;
  const name =
    entity?.spec?.profile?.displayName ??
    entity?.metadata.title ??
    entity?.metadata.name ??
    ref?.replace(/^user:(default\/)?/, '') ??
    'Mini-Atlas user';
  const login = entity?.metadata.name ?? ref?.split('/').pop() ?? 'unknown';
  return {
    ref,
    groups: userGroupNames(entity),
    author: {
      name,
      email: entity?.spec?.profile?.email ?? `${login}@users.mini-atlas.local`,
    },
  };
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * The files of a request with their content against the repository as it is now: the instance,
 * and each kustomization with the request listed. Paths are relative to the repository root.
 */
export async function requestFileContents(
  wizard: WizardService,
  prepared: PreparedRequest,
): Promise<Array<{ path: string; content: string }>> {
  const inRepo = (file: string) => `${wizard.gitopsPath}/${file}`;
  const files = [
    {
      path: inRepo(prepared.files.instance),
      content: instanceYaml(prepared.instance),
    },
  ];
  for (const k of prepared.files.kustomizations) {
    const current = await readOptional(
      path.join(wizard.gitops.gitopsDir, k.path),
    );
    files.push({
      path: inRepo(k.path),
      content: addKustomizationEntry(current, k.entry),
    });
  }
  return files;
}

/** The commit message of a request: workspace, kind and name. */
export function commitMessage(
  prepared: PreparedRequest,
  user: { ref?: string },
  taskId?: string,
): string {
  return [
    `${prepared.workspace}: add ${prepared.abstraction.kind} ${prepared.name}`,
    '',
    `Requested by ${
      user.ref ?? 'an unknown user'
    } through the Mini-Atlas portal${taskId ? ` (task ${taskId})` : ''}: ${
      prepared.abstraction.kind
    } ${prepared.objectName} in ${prepared.files.instance}.`,
  ].join('\n');
}
