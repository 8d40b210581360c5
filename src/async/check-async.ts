/**
 * `checkAsync`: `check` for a scenario whose processes are async functions (AsyncProcess). It checks, lets the
 * functions answer the reply histories that check reached and their tables did not know, and checks again,
 * until a check reaches none: that check's result is the function's, with the same report and replay token.
 */
import { check, type CheckOptions, type CheckResult } from '../api/check.ts';
import { UsageError } from '../check/prepare.ts';
import type { Scenario } from '../scenario.ts';
import type { AsyncProcess } from './async-process.ts';

/**
 * Checks `scenario`, whose variants run `processes` (by their `spec()`), as `check` would.
 * @example
 * const buyers = ['A', 'B'].map((name) => new AsyncProcess(name, buy, name));
 * const result = await checkAsync(scenarioOf(buyers), buyers, { seed: 1 });
 */
export async function checkAsync(scenario: Scenario, processes: readonly AsyncProcess[], options: CheckOptions = {}): Promise<CheckResult> {
  // Worker threads rebuild a scenario by its name, which would lose the tables learned here.
  if ((options.threads ?? 1) !== 1) throw new UsageError('an async function is checked on one thread (threads: 1)');
  for (;;) {
    const result = check(scenario, options);
    if (processes.every((p) => p.unexplored === 0)) return result;
    for (const p of processes) await p.explore();
  }
}
