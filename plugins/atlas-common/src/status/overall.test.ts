import { countHealths, overallFromStages, worstHealth } from './overall';
import type { StageStatus } from './types';

const stage = (
  name: StageStatus['stage'],
  state: StageStatus['state'],
  message = `${name} ${state}`,
): StageStatus => ({ stage: name, state, message });

describe('overallFromStages', () => {
  it('is ready when every stage is done', () => {
    expect(
      overallFromStages([
        stage('git', 'done'),
        stage('flux', 'done'),
        stage('kro', 'done'),
        stage('resources', 'done'),
      ]),
    ).toEqual({ health: 'ready', message: 'Ready' });
  });

  it('names the first stage that is not done, even when a later one failed', () => {
    expect(
      overallFromStages([
        stage('git', 'done'),
        stage('flux', 'pending', 'waiting for commit abc1234'),
        stage('kro', 'failed'),
        stage('resources', 'unknown'),
      ]),
    ).toEqual({
      health: 'progressing',
      stage: 'flux',
      message: 'Flux: waiting for commit abc1234',
    });
  });

  it('maps failed and unknown stages to their health', () => {
    expect(
      overallFromStages([stage('git', 'done'), stage('flux', 'failed', 'x')])
        .health,
    ).toBe('failed');
    expect(
      overallFromStages([stage('git', 'done'), stage('flux', 'unknown', 'x')]),
    ).toEqual({ health: 'unknown', stage: 'flux', message: 'Flux: x' });
  });
});

describe('worstHealth and countHealths', () => {
  it('orders failed > unknown > progressing > ready', () => {
    expect(worstHealth([])).toBe('ready');
    expect(worstHealth(['ready', 'progressing'])).toBe('progressing');
    expect(worstHealth(['progressing', 'unknown', 'ready'])).toBe('unknown');
    expect(worstHealth(['unknown', 'failed', 'ready'])).toBe('failed');
  });

  it('counts every health and the total', () => {
    expect(countHealths(['ready', 'ready', 'failed', 'progressing'])).toEqual({
      total: 4,
      ready: 2,
      progressing: 1,
      failed: 1,
      unknown: 0,
    });
  });
});
