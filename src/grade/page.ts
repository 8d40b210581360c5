/**
 * An exercise's task page, `docs/exercises/<name>/README.md`, is the one place its title and hints are written:
 * the grader reads them from it, so what `interleave grade` prints on a failure is what the page shows. The
 * title is the page's heading (`# Exercise 1: make the release safe`); each hint is a collapsed block,
 * `<details><summary>Hint N</summary> … </details>`, in tier order: the first nudges, the last nearly gives the
 * answer away.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory that holds one directory per exercise, and `solutions/`. */
export const EXERCISES_DIR = fileURLToPath(new URL('../../docs/exercises/', import.meta.url));

/** What the grader takes from a task page. */
export interface ExercisePage {
  /** The task in a few words, e.g. `make the release safe`. */
  readonly title: string;
  /** The hints, in tier order. */
  readonly hints: readonly string[];
}

/**
 * Reads the title and hints of exercise `name`'s page. Throws (an internal error, not a user's) when the page
 * breaks the convention: a test holds every page to it.
 * @example readPage('01-safe-release').hints.length // 3
 */
export function readPage(name: string): ExercisePage {
  const path = join(EXERCISES_DIR, name, 'README.md');
  const text = readFileSync(path, 'utf8');
  const title = /^# Exercise \d+: (.+)$/m.exec(text)?.[1];
  if (title === undefined) throw new Error(`${path}: no "# Exercise N: title" heading`);
  const hints = [...text.matchAll(/<details>\s*<summary>Hint (\d+)<\/summary>([^]*?)<\/details>/g)];
  if (hints.length === 0 || hints.some(([, tier], i) => Number(tier) !== i + 1)) throw new Error(`${path}: hints must be numbered 1, 2, … in order`);
  return { title, hints: hints.map(([, , body]) => body.trim()) };
}

/**
 * Where exercise `name`'s starter is: the file a student copies and edits.
 * @example starterPath('01-safe-release') // …/docs/exercises/01-safe-release/starter.ts
 */
export function starterPath(name: string): string {
  return join(EXERCISES_DIR, name, 'starter.ts');
}

/**
 * Where exercise `name`'s reference solution is, apart from its starter (a spoiler).
 * @example solutionPath('01-safe-release') // …/docs/exercises/solutions/01-safe-release.ts
 */
export function solutionPath(name: string): string {
  return join(EXERCISES_DIR, 'solutions', `${name}.ts`);
}
