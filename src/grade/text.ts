/**
 * The text of a grade: each check run, with the search's own report (src/report/text.ts: the shortest
 * counterexample's timeline, or what was proved), whether it passed and why not; then the verdict and, on a
 * failure, the hint asked for.
 */
import type { CheckResult } from '../api/check.ts';
import { checkResultLines, counterexampleLines } from '../report/text.ts';
import type { GradeStep } from './exercise.ts';
import type { GradeResult } from './grade.ts';

/**
 * Report lines without the replay command: the scenario it names holds the student's work, which
 * `interleave replay` cannot load; grading the file again shows the same counterexample.
 */
const withoutReplay = (lines: readonly string[]) => lines.filter((line) => !line.startsWith('  replay:   interleave replay '));

/** A check's report, as `interleave check` prints it, without the replay command. */
function reportLines(result: CheckResult): string[] {
  return withoutReplay(checkResultLines(result));
}

/** One step: what it claims, the search's report, and its outcome (with the reference bug, on a miss). */
function stepLines(step: GradeStep, index: number, of: number): string[] {
  return [
    `── check ${index + 1} of ${of}: ${step.claim}`,
    ...reportLines(step.check),
    step.passed ? '  → ✓ passed' : `  → ✗ failed: ${step.reason}`,
    ...(step.reference?.violation ? withoutReplay(counterexampleLines(step.reference.violation)) : []),
    '',
  ];
}

/**
 * The whole text of a grade.
 * @example gradeLines(await grade('01', 'my-release.ts')).forEach((line) => console.log(line))
 */
export function gradeLines(result: GradeResult): string[] {
  const hint = result.hint;
  return [
    `Exercise ${Number(result.exercise.split('-')[0])}: ${result.title}  (${result.exercise})`,
    `grading ${result.file} (${result.declaration})`,
    '',
    ...result.steps.flatMap((step, i) => stepLines(step, i, result.of)),
    result.passed
      ? `✓ pass: ${result.exercise}, every check holds`
      : `✗ fail: ${result.exercise}, check ${result.steps.length} of ${result.of} failed`,
    ...(hint === null ? [] : [
      '',
      `hint ${hint.tier} of ${hint.of}${hint.tier < hint.of ? ` (the next: interleave grade ${result.exercise} ${result.file} --hint ${hint.tier + 1})` : ''}:`,
      // The page's Markdown as is, but for code fences, which a terminal shows as noise.
      ...hint.text.split('\n').filter((line) => !line.startsWith('```')).map((line) => (line === '' ? '' : `  ${line}`)),
    ]),
  ];
}
