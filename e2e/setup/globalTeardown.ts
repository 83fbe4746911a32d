import fs from 'node:fs';
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
  if (process.env.ATLAS_E2E_KEEP) {
    process.stdout.write(`\nEnd-to-end run folder kept: ${state.dir}\n`);
  } else {
    fs.rmSync(state.dir, { recursive: true, force: true });
  }
}
