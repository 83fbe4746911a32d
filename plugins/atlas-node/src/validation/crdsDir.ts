import fs from 'node:fs';
import path from 'node:path';

/**
 * Finds the folder of upstream CRD schemas the offline validation uses: `$ATLAS_CRDS_DIR`, or
 * `../shared/crds` beside the repository (where the team's machines and CI keep them). Throws
 * with what to do when neither exists.
 *
 * @public
 */
export function resolveCrdsDir(
  repoRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const candidates = [
    env.ATLAS_CRDS_DIR,
    path.resolve(repoRoot, '../shared/crds'),
  ].filter((c): c is string => !!c);
  const found = candidates.find(
    c => fs.existsSync(c) && fs.statSync(c).isDirectory(),
  );
  if (!found) {
    throw new Error(
      `No upstream CRD schemas found (looked in ${candidates.join(', ')}). ` +
        'Set ATLAS_CRDS_DIR to a folder holding the CRD YAML files of KRO, Flux, Cilium, Kyverno, Strimzi and CloudNativePG.',
    );
  }
  return found;
}
