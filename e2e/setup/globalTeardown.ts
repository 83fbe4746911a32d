import fs from 'node:fs';
import path from 'node:path';
import { readState } from './state';

/** Stops the portal's process group and the test API server; keeps the run folder on failure. */
export default async function globalTeardown(): Promise<void> {
  const state = readState();
  try {
    process.kill(-state.portalPid, 'SIGTERM');
  } catch {
    // already gone
  }
  await (globalThis as any).__atlasE2e?.cluster?.stop();
  await new Promise(r => setTimeout(r, 1000));
  try {
    process.kill(-state.portalPid, 'SIGKILL');
  } catch {
    // stopped
  }
  // the portal's log goes with the screenshots, for whoever reads a failed run
  const results = path.resolve(__dirname, '../../test-results/e2e');
  fs.mkdirSync(results, { recursive: true });
  fs.copyFileSync(
    path.join(state.dir, 'portal.log'),
    path.join(results, 'portal.log'),
  );
  if (process.env.ATLAS_E2E_KEEP) {
    process.stdout.write(`\nEnd-to-end run folder kept: ${state.dir}\n`);
  } else {
    fs.rmSync(state.dir, { recursive: true, force: true });
  }
}
