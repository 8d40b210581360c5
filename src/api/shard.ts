/**
 * Shards: one check split across processes or machines (a CI matrix, a batch scheduler), the convention of vitest
 * and Playwright — `checkShard(scenario, options, { index: 2, count: 4 })` does the second quarter of the work
 * and returns a `ShardResult` (plain JSON); `mergeShards(results)` puts the quarters together into the very
 * `CheckResult` a single `check` returns: the same counts, the same counterexample. See
 * src/check/parallel/random-part.ts and exhaustive-shard.ts for how each search is split and merged.
 */
import type { Scenario } from '../scenario.ts';
import { UsageError } from '../check/prepare.ts';
import { exhaustiveSetup } from '../check/check-variant.ts';
import { exploreRandomPart, localControl, mergeRandomParts, type RandomPart, type ScheduleRerun } from '../check/parallel/random-part.ts';
import { exploreExhaustiveShard, mergeExhaustiveShards, type ExhaustiveShard } from '../check/parallel/exhaustive-shard.ts';
import { checkResult, findScenario, planCheck, searchPlan, type CheckOptions, type CheckResult } from './check.ts';

/** Which shard: `index` from 1 to `count`, as in `--shard 2/4`. */
export interface Shard {
  /** This shard, from 1. */
  readonly index: number;
  /** How many shards the check is split into. */
  readonly count: number;
}

/** The options a shard records: those of `check` that are plain data. */
export type ShardOptions = Omit<CheckOptions, 'onProgress' | 'threads'>;

/** What one shard did, as `interleave check --shard` prints it and `interleave merge` reads it. */
export interface ShardResult {
  /** Marks a shard result, and its version. */
  readonly format: typeof FORMAT;
  /** The scenario's name. */
  readonly scenario: string;
  /** The options of the check, as given. */
  readonly options: ShardOptions;
  /** Which shard. */
  readonly shard: Shard;
  /** What it saw. */
  readonly part: RandomShardPart | ExhaustiveShardPart;
}

/** A shard's part of a random or PCT search (src/check/parallel/random-part.ts). */
export interface RandomShardPart {
  /** `random`, for PCT too. */
  readonly mode: 'random';
  /** One byte per schedule the shard ran, base64: 1 + the rank of the property broken (0: none), + 128 if unjudged. */
  readonly outcomes: string;
  /** The first schedule of the shard that reached each `sometimes` property, by name. */
  readonly reached: Readonly<Record<string, number>>;
  /** The first schedule of the shard that broke each rank of property, to run again. */
  readonly firsts: readonly ScheduleRerun[];
}

/** A shard's part of an exhaustive search (src/check/parallel/exhaustive-shard.ts); arrays are base64, little-endian. */
export interface ExhaustiveShardPart {
  /** `exhaustive`. */
  readonly mode: 'exhaustive';
  /** The level at which the search was split among the shards (`null`: it ended first). */
  readonly split: number | null;
  /** The 64-bit fingerprints of the states the shard visited, as 32-bit words (high, low). */
  readonly fingerprints: string;
  /** The level of each state, 16 bits each. */
  readonly levels: string;
  /** The number of choices of each state, 16 bits each (65,535: not expanded). */
  readonly choices: string;
  /** The first level at which each property failed, by its index among the properties checked (−1: never). */
  readonly violated: readonly number[];
  /** The first level at which each `sometimes` property was reached, by name. */
  readonly reached: Readonly<Record<string, number>>;
  /** A bound that stopped the shard before its part was done. */
  readonly bound: 'max-states' | 'stopped' | null;
}

const FORMAT = 'interleave-shard/1';

const base64 = (array: ArrayBufferView) => Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const words = <T>(text: string, View: new (buffer: ArrayBuffer) => T) => new View(bytes(text).buffer);

/**
 * Checks shard `shard.index` of `shard.count` of the check `check(scenario, options)` would make.
 * @example
 * const parts = [1, 2].map((index) => checkShard('inventory', { variant: 'naive-lock' }, { index, count: 2 }));
 * mergeShards(parts).violation?.property // as check('inventory', { variant: 'naive-lock' }) reports
 */
export function checkShard(scenario: Scenario | string, options: ShardOptions, shard: Shard): ShardResult {
  if (!Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index) || shard.index < 1 || shard.index > shard.count) {
    throw new UsageError(`--shard must be I/N with 1 ≤ I ≤ N, got ${shard.index}/${shard.count}`);
  }
  const { onProgress: _onProgress, threads: _threads, ...recorded } = options as CheckOptions;
  const plan = planCheck(scenario, options, performance.now());
  if (plan.bounds !== null && plan.order === 'depth') throw new UsageError('--shard splits a breadth-first search by its levels: it takes no --order depth (--threads does)');
  const part = { index: shard.index - 1, count: shard.count };
  const common = { format: FORMAT, scenario: plan.scenario.name, options: recorded, shard } as const;
  if (plan.bounds !== null) {
    const setup = exhaustiveSetup(plan.prepared, plan.faults, plan.fixed, plan.skew);
    const { fingerprints, levels, choices, ...rest } = exploreExhaustiveShard(setup, plan.properties, plan.bounds, part);
    return { ...common, part: { mode: 'exhaustive', fingerprints: base64(fingerprints), levels: base64(levels), choices: base64(choices), ...rest } };
  }
  const target = { ...plan.prepared, instance: { ...plan.prepared.instance, properties: plan.properties } };
  const { outcomes, reached, firsts } = exploreRandomPart(target, plan.explore, part, localControl(plan.explore));
  return { ...common, part: { mode: 'random', outcomes: base64(outcomes), reached, firsts } };
}

/**
 * Merges the results of every shard of one check into the result that check gives in one process. A
 * `UsageError` (one line) when they are not all the shards of one check: a shard missing or given twice, or
 * shards run with different options. `among`: where to find the scenario by name (default: the built-in ones).
 * @example mergeShards(JSON.parse(`[${files.map((f) => readFileSync(f, 'utf8')).join(',')}]`))
 */
export function mergeShards(results: readonly ShardResult[], among?: readonly Scenario[]): CheckResult {
  const started = performance.now();
  const [first] = results;
  if (!first) throw new UsageError('merge needs the result of every shard');
  for (const result of results) {
    if (result?.format !== FORMAT) throw new UsageError(`not a shard result (made by interleave check --shard I/N --json): ${JSON.stringify(result).slice(0, 60)}`);
    const differs = disagreement(first, result);
    if (differs) throw new UsageError(`shards ${first.shard.index}/${first.shard.count} and ${result.shard.index}/${result.shard.count} are not of one check: ${differs}`);
  }
  for (let index = 1; index <= first.shard.count; index++) {
    const given = results.filter((r) => r.shard.index === index).length;
    if (given !== 1) throw new UsageError(`shard ${index}/${first.shard.count} is ${given === 0 ? 'missing' : 'given twice'}`);
  }
  const plan = planCheck(findScenario(first.scenario, among), first.options, started);
  const ordered = [...results].sort((a, b) => a.shard.index - b.shard.index);
  const outcome = searchPlan(plan, {
    random: (target, options) => mergeRandomParts(target, options, ordered.map(randomPart)),
    exhaustive: (setup, properties, bounds) => mergeExhaustiveShards(setup, properties, bounds, ordered.map(exhaustiveShard)),
  });
  return checkResult(plan, outcome, performance.now() - started);
}

/** What makes two shard results parts of different checks, in words, or `null`. */
function disagreement(a: ShardResult, b: ShardResult): string | null {
  if (a.scenario !== b.scenario) return `scenario ${a.scenario} vs ${b.scenario}`;
  if (a.shard.count !== b.shard.count) return `split in ${a.shard.count} vs ${b.shard.count}`;
  if (a.part.mode !== b.part.mode) return `mode ${a.part.mode} vs ${b.part.mode}`;
  const names = [...new Set([...Object.keys(a.options), ...Object.keys(b.options)])].sort();
  const name = names.find((k) => JSON.stringify(a.options[k as keyof ShardOptions]) !== JSON.stringify(b.options[k as keyof ShardOptions]));
  return name === undefined ? null : `option ${name}: ${JSON.stringify(a.options[name as keyof ShardOptions]) ?? 'not given'} vs ${JSON.stringify(b.options[name as keyof ShardOptions]) ?? 'not given'}`;
}

/** The random part a shard result holds. */
function randomPart(result: ShardResult): RandomPart {
  if (result.part.mode !== 'random') throw new UsageError('a shard of an exhaustive search cannot be merged into a random one');
  const { outcomes, reached, firsts } = result.part;
  return { part: { index: result.shard.index - 1, count: result.shard.count }, outcomes: bytes(outcomes), reached, firsts };
}

/** The exhaustive shard a shard result holds. */
function exhaustiveShard(result: ShardResult): ExhaustiveShard {
  if (result.part.mode !== 'exhaustive') throw new UsageError('a shard of a random search cannot be merged into an exhaustive one');
  const { fingerprints, levels, choices, ...rest } = result.part;
  return { ...rest, fingerprints: words(fingerprints, Uint32Array), levels: words(levels, Uint16Array), choices: words(choices, Uint16Array) };
}
