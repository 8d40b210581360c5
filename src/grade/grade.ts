/**
 * `grade(exercise, file)`: the library form of `interleave grade`. It loads the student's file, checks its
 * export, runs the exercise's checks until one fails, and returns what `--json` prints: pass or fail, every
 * check run with its search result (a counterexample when one was found), and a hint from the task page on a
 * failure.
 */
import { UsageError } from '../check/prepare.ts';
import { ModelError } from '../sim/machine-stepper.ts';
import type { Exercise, GradeStep } from './exercise.ts';
import { findExercise } from './exercises/index.ts';
import { loadSubmission } from './load.ts';
import { readPage } from './page.ts';

/** Options of `grade`. */
export interface GradeOptions {
  /** Which hint to give on a failure, 1 (a nudge) up to the page's last (nearly the answer); default 1. */
  readonly hint?: number;
}

/** A hint from an exercise's task page. */
export interface Hint {
  /** Its tier, from 1. */
  readonly tier: number;
  /** How many tiers the page has. */
  readonly of: number;
  /** The hint, as the page writes it (Markdown). */
  readonly text: string;
}

/** What `grade` found, as `interleave grade --json` prints it. */
export interface GradeResult {
  /** The exercise's name, e.g. `01-safe-release`. */
  readonly exercise: string;
  /** Its title, e.g. `make the release safe`. */
  readonly title: string;
  /** The file graded, as given. */
  readonly file: string;
  /** The export it had to provide, as declared. */
  readonly declaration: string;
  /** True when every check passed. */
  readonly passed: boolean;
  /** The checks run, in order; on a failure the last one is the one that failed. */
  readonly steps: readonly GradeStep[];
  /** How many checks the exercise has. */
  readonly of: number;
  /** The hint asked for, on a failure; `null` on a pass. */
  readonly hint: Hint | null;
}

/**
 * Grades the already loaded `module` against `exercise` (the synchronous half of `grade`).
 * @example gradeModule(findExercise('01'), { lock: naiveLock }, 'inline').passed // false
 */
export function gradeModule(exercise: Exercise, module: Readonly<Record<string, unknown>>, file: string, options: GradeOptions = {}): GradeResult {
  const page = readPage(exercise.name);
  const tier = hintTier(options.hint, page.hints.length);
  const checks = exercise.steps(module);
  const steps: GradeStep[] = [];
  for (const step of checks) {
    steps.push(studentRun(exercise, step));
    if (!steps.at(-1)!.passed) break;
  }
  const passed = steps.every((s) => s.passed);
  return {
    exercise: exercise.name, title: page.title, file, declaration: exercise.declaration, passed, steps, of: checks.length,
    hint: passed ? null : { tier, of: page.hints.length, text: page.hints[tier - 1] },
  };
}

/**
 * Runs a step. The checker is the project's own, tested code; what else runs in a step is the student's (a
 * guard, an action, a property), so any other exception is theirs: one line, exit code 2, not an internal error.
 */
function studentRun(exercise: Exercise, step: () => GradeStep): GradeStep {
  try {
    return step();
  } catch (error) {
    if (error instanceof UsageError || error instanceof ModelError || !(error instanceof Error)) throw error;
    throw new UsageError(`${exercise.name}: your \`${exercise.declaration}\` threw while it ran: ${error.message.replace(/\s*\n\s*/g, ' ')}`);
  }
}

/** The hint tier asked for, checked against how many the page has. */
function hintTier(asked: number | undefined, tiers: number): number {
  if (asked === undefined) return 1;
  if (!Number.isInteger(asked) || asked < 1 || asked > tiers) throw new UsageError(`--hint must be from 1 to ${tiers}, got ${asked}`);
  return asked;
}

/**
 * Grades the student's `file` against exercise `name` (its name or number).
 * @example
 * const result = await grade('01-safe-release', 'my-release.ts');
 * console.log(result.passed ? 'pass' : result.hint?.text);
 */
export async function grade(name: string, file: string, options: GradeOptions = {}): Promise<GradeResult> {
  const exercise = findExercise(name);
  // Bad options are reported before the file is even loaded.
  hintTier(options.hint, readPage(exercise.name).hints.length);
  return gradeModule(exercise, await loadSubmission(file), file, options);
}
