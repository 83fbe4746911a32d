import fs from 'node:fs';

/** What the global setup started, handed to the tests through a JSON file. */
export interface E2eState {
  /** Temporary folder of this run (logs, repository, databases). */
  dir: string;
  appUrl: string;
  backendUrl: string;
  /** The git repository the portal writes requests to (a copy of this checkout's gitops/). */
  repoDir: string;
  /** Base URL of the Kubernetes test API server the backend watches. */
  kubeUrl: string;
  /** Process group of `yarn dev`. */
  portalPid: number;
}

export const STATE_ENV = 'ATLAS_E2E_STATE';

export function readState(): E2eState {
  const file = process.env[STATE_ENV];
  if (!file || !fs.existsSync(file)) {
    throw new Error(
      `${STATE_ENV} is not set: run the end-to-end tests with "yarn test:e2e"`,
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
