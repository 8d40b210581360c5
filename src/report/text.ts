/**
 * The text of a check result: a header naming what was checked, then either the counterexample (timeline,
 * verdict, replay token) or the clean verdict. The counterexample block is the same for `check` and `replay`.
 */
import type { CheckResult } from '../api/check.ts';
import type { ViolationReport } from '../check/counterexample.ts';
import type { Params } from '../scenario.ts';
import { renderTimeline } from './timeline.ts';

/** `inventory / naive-lock  (buyers=3 stock=1 ttl=5000, seed 1)` */
export function headerLine(scenario: string, variant: string, params: Params, seed: number): string {
  const shown = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ');
  return `${scenario} / ${variant}  (${shown}${shown ? ', ' : ''}seed ${seed})`;
}

/** The counterexample block: timeline, the violated property with the state that breaks it, the replay command. */
export function counterexampleLines(violation: ViolationReport): string[] {
  if (violation.replay === null) {
    return [`✗ ${violation.property}: ${violation.message}`, `  (${violation.description}: the scenario never gets there, so the other properties prove nothing)`];
  }
  return [
    '',
    ...renderTimeline(violation.steps).map((l) => `  ${l}`),
    '',
    `✗ ${violation.property} violated: ${violation.message}`,
    `  property: ${violation.description}`,
    `  replay:   interleave replay ${violation.replay}`,
  ];
}

/** The whole text of one check result. Deterministic: no timings (they are in `--json` and the `--all` table). */
export function checkResultLines(result: CheckResult): string[] {
  const header = headerLine(result.scenario, result.variant, result.params, result.seed);
  if (!result.violation) return [header, `✓ no violation in ${result.stats.schedules} schedules`];
  const found = result.violation.replay === null
    ? []
    : [`  (found in schedule ${result.stats.foundAt}${result.stats.foundAt === result.stats.schedules ? '' : ` of ${result.stats.schedules} explored`}; shrunk from a run of ${result.stats.originalSteps} steps)`];
  return [header, ...counterexampleLines(result.violation), ...found];
}
