/**
 * Timing and summary helpers for the benchmarks. Wall-clock time (`performance.now`) is read only here and in
 * the bench scripts, never in the deterministic core.
 */

/**
 * Runs `body` and returns its value with the wall time it took, in ms, and the CPU time this process spent
 * meanwhile (user and system, all of its threads), in ms.
 * @example const { value, ms, cpuMs } = await timed(() => work());
 */
export async function timed<T>(body: () => T | Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await body();
  const ms = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (user + system) / 1000 };
}

/**
 * The median of `values` (the mean of the middle two for an even count).
 * @example median([3, 1, 2]) // 2
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median, min and max of a sample. */
export interface Spread {
  /** The median. */
  readonly median: number;
  /** The smallest value. */
  readonly min: number;
  /** The largest value. */
  readonly max: number;
}

/**
 * Median, min and max of `values`.
 * @example spread([14, 15, 13]) // { median: 14, min: 13, max: 15 }
 */
export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * Formats a spread as `median (min–max)`, with `digits` decimals.
 * @example formatSpread({ median: 14, min: 13, max: 15 }) // '14 (13–15)'
 */
export function formatSpread(s: Spread, digits = 0): string {
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/**
 * Renders rows as a text table with a header rule; numbers-looking cells are right-aligned.
 * @example table(['a', 'b'], [['x', '1']]).join('\n')
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = (cell: string) => /^[\d.,×()–\s—-]+$/.test(cell);
  const line = (cells: readonly string[]) => cells.map((c, i) => (numeric(c) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
}

/**
 * A whole number with thousands separators.
 * @example thousands(36317) // '36,317'
 */
export function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
