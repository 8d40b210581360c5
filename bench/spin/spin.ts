/**
 * Running SPIN from the benchmark: generate the verifier (`spin -a`), compile it (`gcc -O2`), run it on one core
 * and read its report. Everything happens in a temporary directory that is removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What one `pan` run reported. */
export interface PanReport {
  /** Distinct states stored. */
  readonly states: number;
  /** Transitions taken (stored + matched). */
  readonly transitions: number;
  /** Errors found (the run stops at the first). */
  readonly errors: number;
  /** The first assertion that failed, e.g. `assertion violated (sold<=1)`, or null. */
  readonly violation: string | null;
  /** Search time as pan measured it, s (excludes compiling; pan rounds it, so tiny runs may read 0). */
  readonly seconds: number;
  /** Wall time of the pan process, s (includes starting it and allocating its hash table). */
  readonly wallSeconds: number;
  /** pan's "total actual memory usage": states, hash table and search stack, MB. */
  readonly memoryMb: number;
  /** pan's "actual memory usage for states", MB: the stored state vectors alone. */
  readonly stateMemoryMb: number;
  /** Bytes of one state vector before compression. */
  readonly stateVectorBytes: number;
}

/** How to build and run the verifier. */
export interface PanOptions {
  /** Preprocessor macros for the model (`spin -D`), e.g. `{ N: 3 }` or `{ UNFENCED_WRITE: true }`. */
  readonly model: Readonly<Record<string, number | true>>;
  /** Compile-time switches of pan (gcc `-D`), e.g. `['SAFETY', 'NOREDUCE']`. */
  readonly pan: readonly string[];
}

/**
 * The SPIN version line, or null when `spin` or `gcc` is missing.
 * @example spinVersion() // 'Spin Version 6.5.2 -- 6 December 2019'
 */
export function spinVersion(): string | null {
  const spin = spawnSync('spin', ['-V'], { encoding: 'utf8' });
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (spin.error || spin.status !== 0 || gcc.error || gcc.status !== 0) return null;
  return spin.stdout.trim();
}

/** Runs `command`, throwing with its output when it fails to start or exits non-zero. */
function run(command: string, args: readonly string[], cwd: string): string {
  const child = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${child.status}):\n${child.stdout}${child.stderr}`);
  return child.stdout;
}

/**
 * Verifies the Promela model `pml` with SPIN: `spin -a`, `gcc -O2`, then `./pan` (single-core: pan uses more
 * cores only when compiled with -DNCORE).
 * @example runPan('bench/spin/inventory-fenced.pml', { model: { N: 3 }, pan: ['SAFETY', 'NOREDUCE'] }).states
 */
export function runPan(pml: string, options: PanOptions): PanReport {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'interleave-spin-'));
  try {
    const macros = Object.entries(options.model).map(([name, value]) => (value === true ? `-D${name}` : `-D${name}=${value}`));
    run('spin', [...macros, '-a', path.resolve(pml)], dir);
    run('gcc', ['-O2', ...options.pan.map((flag) => `-D${flag}`), '-o', 'pan', 'pan.c'], dir);
    const started = performance.now();
    // pan exits 0 also when it found an error: the report says so.
    const output = run('./pan', [], dir);
    return parsePan(output, (performance.now() - started) / 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Reads pan's report (SPIN 6). Numbers may come in exponent form (`1.0806691e+08 transitions`).
 * @example parsePan(output, 1.2).states
 */
export function parsePan(output: string, wallSeconds: number): PanReport {
  const number = (pattern: RegExp, what: string) => {
    const match = pattern.exec(output);
    if (!match) throw new Error(`pan's report has no ${what}:\n${output}`);
    return Number(match[1]);
  };
  if (/pan: (out of memory|reached -DMEMLIM bound)/.test(output)) throw new Error(`pan ran out of memory:\n${output}`);
  if (/max search depth too small/.test(output)) throw new Error(`pan's search depth bound (-m) was reached:\n${output}`);
  const NUM = '([0-9.e+]+)';
  return {
    states: number(new RegExp(`${NUM} states, stored`), 'states stored'),
    transitions: number(new RegExp(`${NUM} transitions \\(= stored\\+matched\\)`), 'transitions'),
    errors: number(/errors: (\d+)/, 'error count'),
    violation: /pan:\d+: (assertion violated .*?) \(at depth/.exec(output)?.[1] ?? null,
    seconds: number(new RegExp(`pan: elapsed time ${NUM} seconds`), 'elapsed time'),
    wallSeconds,
    memoryMb: number(new RegExp(`${NUM}\\s+total actual memory usage`), 'memory usage'),
    stateMemoryMb: number(new RegExp(`${NUM}\\s+actual memory usage for states`), 'memory for states'),
    stateVectorBytes: number(/State-vector (\d+) byte/, 'state-vector size'),
  };
}
