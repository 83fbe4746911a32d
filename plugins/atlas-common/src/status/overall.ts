import type {
  Health,
  HealthCounts,
  Overall,
  StageName,
  StageStatus,
} from './types';

const SEVERITY: Record<Health, number> = {
  ready: 0,
  progressing: 1,
  unknown: 2,
  failed: 3,
};

/**
 * The more serious of several healths (`failed` > `unknown` > `progressing` > `ready`); `ready`
 * for none.
 *
 * @public
 */
export function worstHealth(healths: Iterable<Health>): Health {
  let worst: Health = 'ready';
  for (const health of healths) {
    if (SEVERITY[health] > SEVERITY[worst]) worst = health;
  }
  return worst;
}

/**
 * Display names of the stages.
 *
 * @public
 */
export const STAGE_TITLES: Record<StageName, string> = {
  git: 'Git',
  flux: 'Flux',
  kro: 'KRO',
  resources: 'Resources',
};

/**
 * The overall state of a request from its stages: the first stage that is not done holds it,
 * with that stage's message. A failed stage makes it `failed`, a stage that cannot be observed
 * `unknown`, a pending one `progressing`.
 *
 * @public
 */
export function overallFromStages(stages: readonly StageStatus[]): Overall {
  const holding = stages.find(s => s.state !== 'done');
  if (!holding) return { health: 'ready', message: 'Ready' };
  const HEALTH_OF_STATE: Record<StageStatus['state'], Health> = {
    failed: 'failed',
    unknown: 'unknown',
    pending: 'progressing',
    done: 'ready',
  };
  const health = HEALTH_OF_STATE[holding.state];
  return {
    health,
    stage: holding.stage,
    message: `${STAGE_TITLES[holding.stage]}: ${holding.message}`,
  };
}

/**
 * Zero requests in every health.
 *
 * @public
 */
export function emptyHealthCounts(): HealthCounts {
  return { total: 0, ready: 0, progressing: 0, failed: 0, unknown: 0 };
}

/**
 * Counts healths.
 *
 * @public
 */
export function countHealths(healths: Iterable<Health>): HealthCounts {
  const counts = emptyHealthCounts();
  for (const health of healths) {
    counts[health] += 1;
    counts.total += 1;
  }
  return counts;
}
