/**
 * What a graded exercise is: the one export a student's file must provide, and the checks that grade it. An
 * exercise turns the export into checks of the shop's own scenarios (the student's lock in front of the stock,
 * the student's consumer on the payments queue, the student's property against a buggy and a fixed lock) and
 * runs them in order, stopping at the first that fails. Its task page, starter and hints live in
 * `docs/exercises/<name>/` (src/grade/page.ts reads them).
 */
import type { CheckResult } from '../api/check.ts';
import { UsageError } from '../check/prepare.ts';

/** One export of a student's file: its name, how it is declared, and how the grader reads it. */
export interface ExportSpec<T> {
  /** The export's name, e.g. `lock`. */
  readonly name: string;
  /** Its declaration as the task page shows it, e.g. `export const lock: LockProtocol`. */
  readonly declaration: string;
  /** The value as the grader uses it, or one line saying why it is not one (e.g. `it has no release function`). */
  parse(value: unknown): T | ExportProblem;
}

/** Why an exported value is not what the exercise needs. */
export class ExportProblem {
  /** @param reason One line, e.g. `it is a string, not a machine`. */
  constructor(readonly reason: string) {}
}

/** One check the grader ran. */
export interface GradeStep {
  /** What must be so, e.g. `your lock never deletes another buyer's lock`. */
  readonly claim: string;
  /** The check that decided it (an exhaustive search: its counterexample, if any, is a shortest one). */
  readonly check: CheckResult;
  /** Whether the claim held. */
  readonly passed: boolean;
  /** Why it did not, one sentence (only when it did not). */
  readonly reason?: string;
  /** A check shown to explain a failure: e.g. the bug a student's property missed, found by the reference property. */
  readonly reference?: CheckResult;
}

/** A graded exercise, its export already hidden behind `grade`. */
export interface Exercise {
  /** Its name and directory under docs/exercises, e.g. `01-safe-release`. */
  readonly name: string;
  /** The export the student's file must provide, as declared, e.g. `export const lock: LockProtocol`. */
  readonly declaration: string;
  /**
   * The checks of a loaded module, in order: each runs only when called, so grading stops at the first that
   * fails. Throws a `UsageError` when the module lacks the export or it has the wrong shape.
   */
  steps(module: Readonly<Record<string, unknown>>): readonly (() => GradeStep)[];
}

/**
 * Declares an exercise from its export and the checks of a parsed export.
 * @example defineExercise({ name: '07-skew-threshold', export: answerExport, steps: (answer) => [() => gradeAnswer(answer)] })
 */
export function defineExercise<T>(spec: { name: string; export: ExportSpec<T>; steps(value: T): readonly (() => GradeStep)[] }): Exercise {
  const { name, declaration } = spec.export;
  return {
    name: spec.name,
    declaration,
    steps: (module) => {
      if (!(name in module)) throw new UsageError(`${spec.name}: the file must \`${declaration}\`, and it exports no '${name}' (it exports: ${Object.keys(module).join(', ') || 'nothing'})`);
      const value = spec.export.parse(module[name]);
      if (value instanceof ExportProblem) throw new UsageError(`${spec.name}: the file must \`${declaration}\`, but ${value.reason}`);
      return spec.steps(value);
    },
  };
}
