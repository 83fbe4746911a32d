import type {
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  checkRequestName,
  type GitopsService,
} from '@mini-atlas/plugin-atlas-node';
import express from 'express';
import Router from 'express-promise-router';

/**
 * What the wizard routes need.
 *
 * @public
 */
export interface WizardRoutesOptions {
  gitops: GitopsService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
}

function queryString(
  query: express.Request['query'],
  key: string,
  required: boolean,
): string | undefined {
  const value = query[key];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string')
    throw new InputError(`query parameter ${key} is required, once`);
  return value;
}

/**
 * Routes under `/wizard` that the wizard's form fields call as the user types: the workspaces
 * (and whether the user may add to each), a name check with the same rules as the render action,
 * and the instances a picker offers.
 *
 * @public
 */
export function createWizardRoutes(
  options: WizardRoutesOptions,
): express.Router {
  const { gitops, httpAuth, userInfo } = options;
  const router = Router();

  router.get('/workspaces', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
    const groups = ownershipEntityRefs
      .map(ref => /^group:default\/(.+)$/i.exec(ref)?.[1]?.toLowerCase())
      .filter((g): g is string => !!g);
    const snapshot = await gitops.snapshot();
    const items = [...snapshot.workspaces.values()]
      .map(ws => {
        const owner = ws.owner ?? ws.object.spec?.owner ?? null;
        return {
          name: ws.workspace,
          owner,
          description: String(ws.object.spec?.description ?? ''),
          mayAdd: !!owner && groups.includes(String(owner)),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    res.json({ items });
  });

  router.get('/names', async (req, res) => {
    const kind = queryString(req.query, 'kind', true)!;
    const workspace = queryString(req.query, 'workspace', true)!;
    const name = queryString(req.query, 'name', false);
    res.json(checkRequestName(await gitops.snapshot(), kind, workspace, name));
  });

  router.get('/instances', async (req, res) => {
    const kind = queryString(req.query, 'kind', true)!;
    const workspace = queryString(req.query, 'workspace', true)!;
    const snapshot = await gitops.snapshot();
    const abstraction = snapshot.registry.get(kind);
    if (!abstraction) throw new InputError(`unknown kind ${JSON.stringify(kind)}`);
    res.json({
      items: snapshot.instances
        .filter(i => i.workspace === workspace && i.abstraction === abstraction)
        .map(i => ({ name: i.object.metadata.name, shortName: i.name })),
    });
  });

  return router;
}
