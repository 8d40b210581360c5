/**
 * The text of a check result: a header naming what was checked, then either the counterexample (timeline,
 * verdict, replay token) or the clean verdict with what it covered. The counterexample block is the same for
 * `check` and `replay`.
 */
import type { CheckResult } from '../api/check.ts';
import type { ExhaustiveStats } from '../check/exhaustive.ts';
import type { ReplayResult } from '../api/replay.ts';
import type { ViolationReport } from '../check/counterexample.ts';
import type { FaultBudget } from '../sim/actions.ts';
import type { SkewBounds } from '../check/arbitraries.ts';
import type { Params } from '../scenario.ts';
import { renderTimeline } from './timeline.ts';

/** What a header names. */
export interface Checked {
  readonly scenario: string;
  readonly variant: string;
  readonly params: Params;
  readonly seed: number;
  readonly faults: FaultBudget;
  /** Bounds on clock error, when the check had them. */
  readonly skew?: SkewBounds;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 'es'.slice(word.endsWith('h') ? 0 : 1)}`;

/** `inventory / naive-lock  (buyers=3 stock=1 ttl=5000; seed 1; faults: 2 pauses ≤ 10000 ms, 0 crashes)` */
export function headerLine(c: Checked): string {
  const params = Object.entries(c.params).map(([k, v]) => `${k}=${v}`).join(' ');
  const faults = `faults: ${plural(c.faults.pauses, 'pause')} ≤ ${c.faults.maxPauseMs} ms, ${plural(c.faults.crashes, 'crash')}${c.faults.losses > 0 ? `, ${plural(c.faults.losses, 'lost publish')}` : ''}${c.faults.closes > 0 ? `, ${plural(c.faults.closes, 'channel close')}` : ''}${c.faults.jumps > 0 ? `, ${plural(c.faults.jumps, 'clock jump')} of ±${c.faults.maxJumpMs} ms` : ''}${c.faults.tickMs ? `; ticks of ${c.faults.tickMs} ms up to ${c.faults.horizonMs} ms` : ''}`;
  const skew = c.skew && (c.skew.maxSkewMs > 0 || c.skew.maxDriftPpm > 0) ? `; clocks within ±${c.skew.maxSkewMs} ms, ±${c.skew.maxDriftPpm} ppm` : '';
  return `${c.scenario} / ${c.variant}  (${params ? `${params}; ` : ''}seed ${c.seed}; ${faults}${skew})`;
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

/** What `interleave replay` prints: the header and the counterexample block, as the check printed them. */
export function replayLines(result: ReplayResult): string[] {
  return [headerLine(result), ...counterexampleLines(result.violation)];
}

/** `schedules`, or `PCT schedules (depth 3)`: how the search chose them. */
function schedulesWord(result: CheckResult): string {
  return result.search.mode === 'pct' ? `PCT schedules (depth ${result.search.depth})` : 'schedules';
}

/** What an exhaustive search covered: `1234 states, 5678 transitions, …` (naming a depth-first order if `order`). */
function exhaustiveLine(stats: ExhaustiveStats, order = false): string {
  const reach = stats.exhausted
    ? `every reachable state visited (deepest schedule: ${stats.depth} decisions)`
    : stats.bound === null
      ? `searched to depth ${stats.depth}`
      : `stopped by --${stats.bound === 'stopped' ? stats.stoppedBy ?? 'max-time' : stats.bound} after depth ${stats.depth}`;
  return `${stats.states} states${stats.symmetry ? ' (up to symmetry)' : ''}, ${stats.transitions} transitions${order && stats.order === 'depth' ? ', depth-first' : ''}; ${reach}`;
}

/** The line that says runs that never end were not judged, when they were not. */
function cyclesLines(stats: ExhaustiveStats): string[] {
  if (stats.cyclesJudged) return [];
  const why = stats.order === 'depth' ? 'depth-first order' : '--symmetry';
  return [`  not judged: runs that never end (a loop at one instant with an \`eventually\` property unmet), which ${why} does not look for`];
}

/** The whole text of one check result. Deterministic: no timings (they are in `--json` and the `--all` table). */
export function checkResultLines(result: CheckResult): string[] {
  const header = headerLine(result);
  const exhaustive = result.stats.exhaustive;
  if (exhaustive && !result.violation) {
    return [
      header,
      `✓ no violation ${exhaustive.exhausted ? 'in any schedule' : 'within the bounds'} (exhaustive search) of: ${result.checked.join(', ')}`,
      `  ${exhaustiveLine(exhaustive, true)}`,
      `  reached: ${result.reached.join(', ') || 'nothing'}`,
      ...cyclesLines(exhaustive),
    ];
  }
  if (exhaustive && result.violation && result.violation.replay !== null) {
    const how = exhaustive.order === 'breadth' ? 'a shortest counterexample, by exhaustive search'
      : exhaustive.shortest ? 'a shortest counterexample: met by depth-first search, shortened by breadth-first search'
        : 'a counterexample met by depth-first search and shrunk, maybe not a shortest (breadth-first search for one stopped at a bound)';
    return [header, ...counterexampleLines(result.violation), `  (${how}: ${exhaustiveLine(exhaustive)})`];
  }
  if (!result.violation) {
    return [
      header,
      `✓ no violation in ${result.stats.schedules} ${schedulesWord(result)} of: ${result.checked.join(', ')}`,
      `  reached: ${result.reached.join(', ') || 'nothing'}`,
      ...(result.stats.unjudged ? [`  not judged: the properties checked when a run is over, in ${result.stats.unjudged} runs cut off at 10000 steps`] : []),
    ];
  }
  if (result.violation.replay === null) return [header, ...counterexampleLines(result.violation)];
  const { foundAt, schedules, originalSteps } = result.stats;
  return [
    header,
    ...counterexampleLines(result.violation),
    `  (found ${result.search.mode === 'pct' ? `by PCT (depth ${result.search.depth}) ` : ''}in schedule ${foundAt}${foundAt === schedules ? '' : ` of ${schedules} explored`}; ${originalSteps === result.violation.decisions ? `${originalSteps} scheduler decisions, already minimal` : `shrunk from ${originalSteps} scheduler decisions to ${result.violation.decisions}`})`,
  ];
}
