// The graded exercises (docs/exercises): every starter fails with a counterexample (or, for a property or an
// answer, a message saying what it misses) and every reference solution passes; the tempting non-fixes fail;
// `interleave grade` turns bad input into one line and exit code 2.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { runCliAsync } from './cli-harness.ts';
import { exercises } from '../src/grade/exercises/index.ts';
import { grade, type GradeResult } from '../src/grade/grade.ts';
import { readPage, solutionPath, starterPath } from '../src/grade/page.ts';
import { mustHold } from '../src/grade/steps.ts';
import { submissionScenario } from '../src/grade/submission-scenario.ts';
import { inventory } from '../models/inventory.ts';
import { buyer as countsForever } from './fixtures/grade/counts-forever.ts';

const fixture = (name: string) => `test/fixtures/grade/${name}.ts`;

/** What each starter's failure must show: the property its counterexample breaks, or the grader's message. */
const STARTER_FAILURES: Record<string, { violated: string } | { missed: string } | { reason: RegExp }> = {
  '01-safe-release': { violated: 'no-foreign-release' },
  '02-atomic-stock': { violated: 'no-oversell' },
  '03-fencing': { violated: 'no-oversell' },
  '04-ack-after': { violated: 'every-order-charged' },
  '05-idempotent-payment': { violated: 'no-duplicate-charge' },
  '06-property-double-release': { missed: 'no-foreign-release' },
  '07-skew-threshold': { reason: /^at 1 no schedule oversells .*too low$/ },
  '08-outbox': { violated: 'no-lost-order' },
  '09-property-double-charge': { missed: 'no-duplicate-charge' },
};

/** The step a failed grade stopped at. */
const failedStep = (result: GradeResult) => {
  expect(result.passed).toBe(false);
  const last = result.steps.at(-1)!;
  expect(last.passed).toBe(false);
  return last;
};

describe('every exercise', () => {
  it('has a task page with a title and three hints, a starter and a solution kept apart', () => {
    expect(exercises.map((e) => e.name)).toEqual(Object.keys(STARTER_FAILURES));
    for (const e of exercises) {
      const page = readPage(e.name);
      expect(page.title.length, e.name).toBeGreaterThan(5);
      expect(page.hints, e.name).toHaveLength(3);
      expect(existsSync(starterPath(e.name)), e.name).toBe(true);
      expect(existsSync(solutionPath(e.name)), e.name).toBe(true);
      expect(solutionPath(e.name)).not.toContain(`/${e.name}/`);
    }
  });

  it.each(exercises.map((e) => e.name))('%s: the starter fails, showing the bug', async (name) => {
    const result = await grade(name, starterPath(name));
    const step = failedStep(result);
    const expected = STARTER_FAILURES[name];
    if ('violated' in expected) {
      expect(step.check.violation?.property).toBe(expected.violated);
      expect(step.check.violation!.steps.length).toBeGreaterThan(3);
      expect(step.reason).toBe(`the schedule above breaks ${expected.violated}`);
    } else if ('missed' in expected) {
      // The student's property found nothing, in every state; the bug is shown as the reference finds it.
      expect(step.check.result).toBe('none');
      expect(step.check.stats.exhaustive?.exhausted).toBe(true);
      expect(step.reference?.violation?.property).toBe(expected.missed);
      expect(step.reason).toMatch(/^no schedule breaks your properties/);
    } else {
      expect(step.reason).toMatch(expected.reason);
    }
    expect(result.hint).toEqual({ tier: 1, of: 3, text: readPage(name).hints[0] });
  });

  it.each(exercises.map((e) => e.name))('%s: the reference solution passes, every state visited', async (name) => {
    const result = await grade(name, solutionPath(name));
    expect(result.steps.map((s) => s.reason ?? 'passed')).toEqual(Array(result.of).fill('passed'));
    expect(result.passed).toBe(true);
    expect(result.hint).toBeNull();
    // A pass is a proof within the bounds: each holding check visited every reachable state.
    for (const step of result.steps.filter((s) => s.check.result === 'none')) expect(step.check.stats.exhaustive?.exhausted).toBe(true);
  });
});

describe('a check that must hold', () => {
  it('fails, saying why, when the search cannot visit every state', () => {
    const scenario = submissionScenario(inventory, 'no-lock', { name: 'counting', summary: 'counts forever', machine: () => countsForever });
    const step = mustHold('it holds', { scenario, options: { params: { buyers: 1 }, maxStates: 300 } })();
    expect(step.passed).toBe(false);
    expect(step.check.result).toBe('none');
    expect(step.reason).toMatch(/^the search stopped (after \d+ states|at its depth bound) before it had seen every state/);
  });
});

describe('tempting non-fixes fail', () => {
  it('exercise 1: GET, compare, then DEL is not atomic', async () => {
    const step = failedStep(await grade('01-safe-release', fixture('get-then-del')));
    expect(step.check.violation?.property).toBe('no-foreign-release');
    expect(step.check.violation?.steps.map((s) => s.text)).toContain('GET lock:stock → "A-fffe"');
  });

  it('exercise 5: claiming the order in Redis before charging loses it', async () => {
    const step = failedStep(await grade('05-idempotent-payment', fixture('claim-first')));
    expect(step.check.violation?.property).toBe('no-lost-order');
  });

  it('exercise 6: mutual exclusion catches the article lock, but fails the owner-checked one too', async () => {
    const result = await grade('06-property-double-release', fixture('mutual-exclusion'), { hint: 3 });
    expect(result.steps.map((s) => s.passed)).toEqual([true, false]);
    expect(result.steps[1].check.violation?.property).toBe('mutual-exclusion');
    expect(result.hint?.tier).toBe(3);
  });
});

describe('interleave grade', () => {
  const run = runCliAsync;

  it('a failing file: the timeline, the verdict and the hint asked for; exit 1', async () => {
    const r = await run('grade', '1', starterPath('01-safe-release'), '--hint', '2');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^Exercise 1: make the release safe {2}\(01-safe-release\)\n/);
    expect(r.out).toContain('── check 1 of 1: your lock\'s release never deletes another buyer\'s lock');
    expect(r.out).toContain('true ms  clock │ A');
    expect(r.out).toContain('DEL lock:stock → 1  (removed "B-ffe0")');
    expect(r.out).toContain('✗ fail: 01-safe-release, check 1 of 1 failed');
    expect(r.out).toContain(`hint 2 of 3 (the next: interleave grade 01-safe-release ${starterPath('01-safe-release')} --hint 3):`);
    // The scenario holds the student's lock, which `interleave replay` could not load: no replay command.
    expect(r.out).not.toContain('interleave replay');
    expect(r.err).toBe('');
  });

  it('a passing file: exit 0, and --json prints the result', async () => {
    const r = await run('grade', '07-skew-threshold', solutionPath('07-skew-threshold'), '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ exercise: '07-skew-threshold', passed: true, of: 1, hint: null });
    expect(json.steps[0].check.violation.property).toBe('no-oversell');
  });

  it('exercises lists every exercise with its title and export', async () => {
    const r = await runCliAsync('exercises');
    expect(r.code).toBe(0);
    expect(r.out).toContain('07-skew-threshold           find the skew threshold\n                            export const answer: number');
  });

  it.each([
    [['grade'], /^interleave: grade needs an EXERCISE and a FILE/],
    [['grade', 'nope', 'x.ts'], /^interleave: unknown exercise 'nope' \(exercises: 01-safe-release, /],
    [['grade', '01', 'nowhere.ts'], /^interleave: no such file: nowhere\.ts$/],
    [['grade', '01', starterPath('01-safe-release'), '--hint', '4'], /^interleave: --hint must be from 1 to 3, got 4$/],
    [['grade', '01', fixture('misspelt-export')], /^interleave: 01-safe-release: the file must `export const lock: LockProtocol`, and it exports no 'lock' \(it exports: lok\)$/],
    [['grade', '01', fixture('half-a-lock')], /but 'lock' has no checkpoint, release functions$/],
    [['grade', '02', starterPath('01-safe-release')], /no 'buyer' \(it exports: lock\)$/],
    [['grade', '06', fixture('only-sometimes')], /'properties' has no always or eventually property/],
    [['grade', '06', fixture('throwing-property')], /^interleave: property 'careless' threw in its test at t=0: /],
    [['grade', '02', fixture('throwing-guard')], /^interleave: 02-atomic-stock: your `export const buyer = .*` threw while it ran: Unable to evaluate guard .*\(reading 'max'\)$/],
    [['grade', '07', fixture('string-answer')], /'answer' is a string, not a positive whole number of ms$/],
    [['grade', '07', fixture('throws-on-load')], /^interleave: cannot load test\/fixtures\/grade\/throws-on-load\.ts: the database is not reachable$/],
  ])('bad input %j: one line on stderr, exit 2', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err.trimEnd()).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
