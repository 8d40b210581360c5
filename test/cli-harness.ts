/**
 * The `interleave` command run in-process for tests: its exit code, what it printed (as lines and as one text)
 * and what it wrote to standard error.
 */
import { vi } from 'vitest';
import { main } from '../src/cli/main.ts';

/** What one command printed and returned. */
export interface CliRun {
  /** Exit code. */
  readonly code: number;
  /** Standard output, one entry a line. */
  readonly lines: readonly string[];
  /** Standard output as one text. */
  readonly out: string;
  /** Standard error. */
  readonly err: string;
}

/** Runs `argv` with stderr captured; `finish` turns main's answer into the exit code (or a promise of it). */
function capture<T>(argv: readonly string[], finish: (answer: number | Promise<number>, done: (code: number) => CliRun) => T): T {
  const lines: string[] = [];
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  const done = (code: number): CliRun => {
    spy.mockRestore();
    return { code, lines, out: lines.join('\n'), err };
  };
  try {
    return finish(main(argv, (line) => lines.push(line)), done);
  } catch (error) {
    spy.mockRestore();
    throw error;
  }
}

/**
 * A command that answers at once (every one but `grade`).
 * @example expect(runCli('check', 'nowhere').code).toBe(2)
 */
export function runCli(...argv: string[]): CliRun {
  return capture(argv, (answer, done) => {
    if (typeof answer !== 'number') throw new Error(`interleave ${argv[0]} answers later: use runCliAsync`);
    return done(answer);
  });
}

/**
 * Any command, awaited.
 * @example expect((await runCliAsync('grade', '1', file)).code).toBe(1)
 */
export function runCliAsync(...argv: string[]): Promise<CliRun> {
  return capture(argv, async (answer, done) => {
    try {
      return done(await answer);
    } catch (error) {
      done(2);
      throw error;
    }
  });
}
