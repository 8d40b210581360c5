/**
 * The 1-minimality check shared by the counterexample tests: a reported counterexample, re-executed from its
 * replay token, still breaks its property, and removing any single action from it no longer does.
 */
import { expect } from 'vitest';
import type { CheckResult, Scenario } from '../src/index.ts';
import { decodeToken } from '../src/check/replay-token.ts';
import { execute, following } from '../src/check/execute.ts';
import { findVariant, prepare, runSetup } from '../src/check/prepare.ts';

/** Asserts that `result`'s counterexample (of `scenario`) is 1-minimal; `label` names it in failures. */
export function expectOneMinimal(scenario: Scenario, result: CheckResult, label: string): void {
  expect(result.violation?.replay, `${label}: a replayable counterexample`).toBeTruthy();
  const token = decodeToken(result.violation!.replay!);
  const prepared = prepare(scenario, findVariant(scenario, token.variant), token.params, token.seed);
  const property = prepared.instance.properties.find((p) => p.name === token.property)!;
  const run = (actions: typeof token.actions) =>
    execute(runSetup(prepared, token.clocks, token.faults), following(actions), { properties: [property] }).violation;
  expect(run(token.actions), label).not.toBeNull();
  token.actions.forEach((_, i) => {
    expect(run(token.actions.filter((__, j) => j !== i)), `${label}, without action ${i}`).toBeNull();
  });
}
