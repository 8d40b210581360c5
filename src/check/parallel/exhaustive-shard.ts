/**
 * Exhaustive search in shards: separate processes (a CI matrix, a batch scheduler) that cannot talk while they
 * run. Every shard searches breadth-first from the root until a level has 64 states per shard, then keeps only
 * the states of that level whose rank is its index mod the shard count, and searches on below them. It records
 * every state it visits with its level, and each expanded state's number of choices.
 *
 * Every state beyond the split level lies on a shortest path through some state of that level, so the union of
 * the shards' states, each at its least level, is the sequential search's, level by level — and from the levels
 * follow its states, transitions, depth and bound (`mergeExhaustiveShards`). What the shards cannot tell alone
 * is what depends on the sequential search's order: the first violation it reports (the merge searches again,
 * down to that violation's level only), and the lassos of runs that never end, looked for on the graph of the
 * whole search (where the search keeps one, the merge searches again in full). Shards overlap (interleavings
 * commute, so most states lie below most roots): they divide the work less well than worker threads do.
 */
import type { Property } from '../../../properties/property.ts';
import type { RunSetup } from '../../sim/run-setup.ts';
import { Simulation } from '../../sim/simulation.ts';
import { checksOf, expand, exploreExhaustive, type ExhaustiveBounds, type ExhaustiveOutcome } from '../exhaustive.ts';
import { FingerprintSet } from '../fingerprint-set.ts';
import { UsageError } from '../prepare.ts';
import type { Part } from './random-part.ts';

/** States per shard in the level at which the search is split. */
const SPLIT_PER_SHARD = 64;
/** The choices of a state that was not expanded. */
const NOT_EXPANDED = 0xffff;

/** What one shard of an exhaustive search saw. */
export interface ExhaustiveShard {
  /** The level at which the search was split (`null` when it ended first: every shard searched it all). */
  readonly split: number | null;
  /** The fingerprints of the states it visited, two words each (high, low), in the order visited. */
  readonly fingerprints: Uint32Array;
  /** The level of each. */
  readonly levels: Uint16Array;
  /** The number of choices of each, if it was expanded (else 65,535). */
  readonly choices: Uint16Array;
  /** The first level at which each property failed, by its index among the properties (−1: never). */
  readonly violated: readonly number[];
  /** The first level at which each `sometimes` property was reached, by name. */
  readonly reached: Readonly<Record<string, number>>;
  /** A bound that stopped it before its part was done. */
  readonly bound: 'max-states' | 'stopped' | null;
}

/**
 * Searches `part` of the state space of `setup` breadth-first, within `bounds`: to the end of its part, to
 * `maxDepth`, or to the end of the level in which it found a violation of the first property (the whole search
 * stops there at the latest).
 */
export function exploreExhaustiveShard(setup: RunSetup, properties: readonly Property[], bounds: ExhaustiveBounds, part: Part): ExhaustiveShard {
  const checks = checksOf(properties);
  const symmetric = bounds.symmetry ?? false;
  const visited = new FingerprintSet();
  const fingerprints: number[] = [];
  const levels: number[] = [];
  const choices: number[] = [];
  const violated = properties.map(() => -1);
  const reached: Record<string, number> = {};
  /** Adds a state at `level`; its index, or −1 when it was visited before. */
  const visit = (simulation: Simulation, level: number) => {
    const { high, low } = simulation.fingerprint(symmetric);
    if (!visited.addFingerprint(high, low)) return -1;
    fingerprints.push(high, low);
    levels.push(level);
    choices.push(NOT_EXPANDED);
    return levels.length - 1;
  };
  const root = new Simulation(setup);
  let frontier = [{ simulation: root, index: visit(root, 0) }];
  let split: number | null = null;
  let bound: ExhaustiveShard['bound'] = null;
  let expanded = 0;
  for (let level = 0; frontier.length > 0 && level < bounds.maxDepth && bound === null && violated[0] < 0; level++) {
    if (split === null && frontier.length >= SPLIT_PER_SHARD * part.count) {
      split = level;
      frontier = frontier.filter((_, rank) => rank % part.count === part.index);
    }
    const next: typeof frontier = [];
    for (const { simulation, index } of frontier) {
      if (++expanded % 1024 === 0 && bounds.shouldStop?.()) bound = 'stopped';
      choices[index] = expand(simulation, checks, {
        violated: (property) => {
          const p = properties.indexOf(property);
          if (violated[p] < 0) violated[p] = level;
        },
        reached: (property) => (reached[property.name] ??= level),
        successor: (child) => {
          const at = visit(child, level + 1);
          if (at >= 0) next.push({ simulation: child, index: at });
          if (visited.size < bounds.maxStates) return true;
          bound = 'max-states';
          return false;
        },
      });
      if (bound !== null) break;
    }
    frontier = next;
  }
  return {
    split, fingerprints: Uint32Array.from(fingerprints), levels: Uint16Array.from(levels), choices: Uint16Array.from(choices),
    violated, reached, bound,
  };
}

/**
 * The outcome of the sequential search of `setup`, from all the shards of its search: counts from the union
 * of their states, each at its least level; a counterexample, if any, by searching again down to its level.
 * When the sequential search would have stopped at `maxStates` inside a level (or a shard did), which states it
 * stored depends on its order, so the merge searches again in full — as it does when the search judges runs that
 * never end (`eventually` properties, no symmetry reduction): their lassos are found on the graph of the whole
 * search. A `UsageError` when shards are missing (the split disagrees).
 */
export function mergeExhaustiveShards(setup: RunSetup, properties: readonly Property[], bounds: ExhaustiveBounds, shards: readonly ExhaustiveShard[]): ExhaustiveOutcome {
  if (new Set(shards.map((s) => s.split)).size !== 1) throw new UsageError('the shards did not split the search at the same level: they are not shards of one search');
  // Runs that never end are judged on the graph of the whole search, numbered in its order (see lasso.ts), which
  // shards do not keep: where the sequential search keeps one, the merge searches again.
  const graphed = properties.some((p) => p.kind === 'eventually') && !bounds.symmetry;
  if (graphed || shards.some((s) => s.bound === 'max-states')) return exploreExhaustive(setup, properties, bounds);
  const { level, choices, table } = leastLevels(shards);
  const counts: number[] = [];
  const outdegrees: number[] = [];
  level.forEach((l, i) => {
    counts[l] = (counts[l] ?? 0) + 1;
    outdegrees[l] = (outdegrees[l] ?? 0) + choices[i];
  });
  const headline = firstLevel(shards.map((s) => s.violated[0]));
  let states = counts[0];
  let transitions = 0;
  let depth = 0;
  let bound: ExhaustiveOutcome['bound'] = shards.some((s) => s.bound === 'stopped') ? 'stopped' : null;
  for (; bound === null && (counts[depth] ?? 0) > 0 && !(headline !== null && headline < depth); depth++) {
    if (depth >= bounds.maxDepth) {
      bound = 'max-depth';
      break;
    }
    transitions += outdegrees[depth];
    states += counts[depth + 1] ?? 0;
    if (states >= bounds.maxStates) return exploreExhaustive(setup, properties, bounds);
  }
  const firsts = properties.map((_, p) => firstLevel(shards.map((s) => s.violated[p])));
  const culprit = firsts.findIndex((l) => l !== null && l < depth);
  const found = culprit < 0 ? null : exploreExhaustive(setup, properties, { ...bounds, maxDepth: firsts[culprit]! + 1 }).found;
  const reached = new Set(shards.flatMap((s) => Object.entries(s.reached).filter(([, l]) => l < depth).map(([name]) => name)));
  const visited = new FingerprintSet();
  level.forEach((l, i) => l <= depth && visited.addFingerprint(table[2 * i], table[2 * i + 1]));
  return {
    states: bound === 'stopped' ? level.length : states, transitions, depth, exhausted: bound === null && (counts[depth] ?? 0) === 0, bound,
    tableBytes: visited.bytes, symmetry: bounds.symmetry ?? false, order: 'breadth', cyclesJudged: !properties.some((p) => p.kind === 'eventually'), shortest: true,
    found, reached,
  };
}

/** The least of `levels` that is not −1, or `null`. */
function firstLevel(levels: readonly number[]): number | null {
  const seen = levels.filter((l) => l >= 0);
  return seen.length === 0 ? null : Math.min(...seen);
}

/** Every state of the shards once, at its least level, with its number of choices from a shard that expanded it. */
function leastLevels(shards: readonly ExhaustiveShard[]) {
  const index = new Map<bigint, number>();
  const level: number[] = [];
  const choices: number[] = [];
  const table: number[] = [];
  for (const shard of shards) {
    for (let i = 0; i < shard.levels.length; i++) {
      const [high, low] = [shard.fingerprints[2 * i], shard.fingerprints[2 * i + 1]];
      const key = (BigInt(high) << 32n) | BigInt(low);
      const at = index.get(key);
      const expanded = shard.choices[i] === NOT_EXPANDED ? 0 : shard.choices[i];
      if (at === undefined) {
        index.set(key, level.length);
        level.push(shard.levels[i]);
        choices.push(expanded);
        table.push(high, low);
      } else {
        level[at] = Math.min(level[at], shard.levels[i]);
        choices[at] ||= expanded;
      }
    }
  }
  return { level, choices, table };
}
