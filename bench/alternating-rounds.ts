/**
 * Two sides measured in alternating rounds, so that drift in the machine's load hits both: each round's rate and
 * its CPU cost per unit of work.
 */
import { timed } from './measure.ts';

/** One timed round of one side: work done per second, and this process's CPU µs per unit of work. */
export interface Round {
  /** Units of work per second of wall time. */
  readonly rate: number;
  /** This process's CPU µs (user and system) per unit of work. */
  readonly cpuUs: number;
}

/** Both sides' rounds, in order: `ours[i]` and `theirs[i]` ran one after the other. */
export interface Comparison {
  /** The runner's rounds. */
  readonly ours: Round[];
  /** The plain client code's rounds. */
  readonly theirs: Round[];
}

/**
 * A round of `units` of work that took `ms` of wall time and `cpuMs` of CPU time.
 * @example roundOf(3000, await timed(() => drain(queue))) // { rate: 6012, cpuUs: 41.3 }
 */
export const roundOf = (units: number, { ms, cpuMs }: { ms: number; cpuMs: number }): Round => ({ rate: units / (ms / 1000), cpuUs: (cpuMs * 1000) / units });

/**
 * Runs `ours` and `theirs` alternately (one warm-up each first).
 * @example const comparison = await alternate(5, () => cycles(1, 4000, ours), () => cycles(1, 4000, theirs))
 */
export async function alternate(rounds: number, ours: () => Promise<Round>, theirs: () => Promise<Round>): Promise<Comparison> {
  await ours();
  await theirs();
  const result: Comparison = { ours: [], theirs: [] };
  for (let r = 0; r < rounds; r++) {
    result.ours.push(await ours());
    result.theirs.push(await theirs());
  }
  return result;
}

/**
 * Runs `count` cycles split over `workers` concurrent loops (`cycle(worker, i)`).
 * @example await cycles(4, 4000, async (w, i) => { await mutex(w).acquire(); await mutex(w).release(); })
 */
export async function cycles(workers: number, count: number, cycle: (worker: number, i: number) => Promise<void>): Promise<Round> {
  const each = Math.floor(count / workers);
  return roundOf(each * workers, await timed(() => Promise.all(Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; i < each; i++) await cycle(w, i);
  }))));
}

/**
 * CPU µs per call of `unit` (one warm-up pass first): what stepping a machine costs with no I/O at all.
 * @example steppingUs(20_000, (i) => stepper.start({ ...input, token: `W0-${i}` }))
 */
export function steppingUs(count: number, unit: (i: number) => void): number {
  for (let i = 0; i < count; i++) unit(i);
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) unit(i);
  const { user, system } = process.cpuUsage(cpu);
  return (user + system) / count;
}
