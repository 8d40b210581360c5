/**
 * Merging one level of a parallel breadth-first search (level-search.ts): which successors the workers sent are
 * new states, in what order the sequential search would meet them, and which worker holds each for the next
 * level.
 *
 * A new state's rank is the order of its least key (parent rank, choice): the order in which the sequential
 * search adds it. A worker can only hold a state it made, or one it makes again from its path from the root
 * (about as costly as expanding a state at the depth of the search's widest levels; far less above). So a
 * state goes to one of the workers that made it: the one holding fewest — or, under symmetry reduction, the one
 * that made it by its least key, which holds the sequential search's very state (states that differ by which
 * twin is which share a fingerprint, not the order of their choices). And when the shares drift apart (the
 * root's worker holds the whole of the first levels), states move from the worker holding most to the one
 * holding fewest, made again there from their paths.
 */
import { FingerprintSet } from '../fingerprint-set.ts';
import { KEY_SPAN, type LevelReport } from './level-expander.ts';

/** How the states of one level were first reached: for the state of each rank, its parent's rank and its choice. */
export interface LevelLinks {
  /** The parent's rank in the level before, by rank. */
  readonly parents: Uint32Array;
  /** The choice number from the parent, by rank. */
  readonly choices: Uint16Array;
}

/** The next level, shared out. */
export interface NextLevel {
  /** Its links. */
  readonly links: LevelLinks;
  /** For each worker, the rank of each successor it sent, if it holds it in the next level, else −1. */
  readonly fates: Int32Array[];
  /** For each worker, the ranks of the states it makes again from their paths and holds. */
  readonly adopted: Int32Array[];
  /** The ranks each worker holds, ascending. */
  readonly shares: number[][];
  /** The key of the state at which the table reached `maxStates` (the sequential search stops there), else Infinity. */
  readonly cutoffKey: number;
}

/** The shares are evened out when they differ by more than this part of the level … */
const DRIFT = 0.02;
/** … and by more than this many states. */
const DRIFT_MIN = 64;

/**
 * Merges the reports of the workers on one level into the next level; adds its states to `visited`, which
 * holds `states` states before, up to `maxStates` at most.
 */
export function mergeLevel(reports: readonly LevelReport[], visited: FingerprintSet, states: number, maxStates: number, symmetric: boolean): NextLevel {
  // New states come in the order of their least keys: each one's rank is its place.
  const { keys, words, makers } = newStates(reports, visited);
  const keeper = keepers(makers, reports.length, symmetric);
  // The sequential search stops as the table reaches maxStates: at the new state of this rank.
  const kept = Math.min(keys.length, Math.max(maxStates - states, 1));
  const cutoffKey = keys.length > 0 && states + keys.length >= maxStates ? keys[kept - 1] : Infinity;
  const fates = reports.map((r) => new Int32Array(r.keys.length).fill(-1));
  const parents = new Uint32Array(kept);
  const choices = new Uint16Array(kept);
  for (let rank = 0; rank < kept; rank++) {
    visited.addFingerprint(words[2 * rank], words[2 * rank + 1]);
    parents[rank] = Math.floor(keys[rank] / KEY_SPAN);
    choices[rank] = (keys[rank] % KEY_SPAN) - 1;
    fates[makers[rank][keeper[rank]]][makers[rank][keeper[rank] + 1]] = rank;
  }
  const shares = fates.map((fate) => [...fate].filter((rank) => rank >= 0).sort((a, b) => a - b));
  const adopted = evenOut(shares, fates);
  return { links: { parents, choices }, fates, adopted, shares, cutoffKey };
}

/**
 * The successors in `reports` not visited before, each once, in the order of their least keys: its least key,
 * its fingerprint's words, and its makers as [worker, position in that worker's list, …] — the maker by the
 * least key first. Each report lists its successors by ascending key, so the reports are merged as sorted lists,
 * and a state is first met by its least key.
 */
function newStates(reports: readonly LevelReport[], visited: FingerprintSet) {
  const keys: number[] = [];
  const words: number[] = [];
  const makers: number[][] = [];
  // Entries by their fingerprint's low word (a small integer key, quick to look up); the rare fingerprint whose
  // low word another has already is found by both words.
  const byLow = new Map<number, number>();
  const byBoth = new Map<string, number>();
  const next = new Int32Array(reports.length);
  for (;;) {
    let worker = -1;
    for (let w = 0; w < reports.length; w++) {
      if (next[w] < reports[w].keys.length && (worker < 0 || reports[w].keys[next[w]] < reports[worker].keys[next[worker]])) worker = w;
    }
    if (worker < 0) return { keys, words, makers };
    const report = reports[worker];
    const i = next[worker]++;
    const high = report.fingerprints[2 * i];
    const low = report.fingerprints[2 * i + 1];
    if (visited.hasFingerprint(high, low)) continue;
    let entry = byLow.get(low | 0);
    if (entry !== undefined && words[2 * entry] !== high) entry = byBoth.get(`${high}:${low}`);
    if (entry === undefined) {
      if (byLow.has(low | 0)) byBoth.set(`${high}:${low}`, keys.length);
      else byLow.set(low | 0, keys.length);
      keys.push(report.keys[i]);
      words.push(high, low);
      makers.push([worker, i]);
    } else makers[entry].push(worker, i);
  }
}

/**
 * The keeper of each new state, as an index into its makers' list: under symmetry reduction the maker by the
 * least key; else a state only one worker made goes to it, and the others even out the shares.
 */
function keepers(makers: readonly (readonly number[])[], workers: number, symmetric: boolean): number[] {
  if (symmetric) return makers.map(() => 0);
  const held = new Array<number>(workers).fill(0);
  for (const made of makers) if (made.length === 2) held[made[0]]++;
  return makers.map((made) => {
    if (made.length === 2) return 0;
    let keeper = 0;
    for (let m = 2; m < made.length; m += 2) if (held[made[m]] < held[made[keeper]]) keeper = m;
    held[made[keeper]]++;
    return keeper;
  });
}

/**
 * Moves states from the worker holding most to the one holding fewest while they differ by more than 2% of the
 * level (and 64 states): a third of the difference each time, as making a state again can cost about as much as
 * expanding it. Updates `shares` and `fates`; returns the ranks each worker adopts.
 */
function evenOut(shares: number[][], fates: Int32Array[]): Int32Array[] {
  const adopted: number[][] = shares.map(() => []);
  const size = shares.reduce((sum, share) => sum + share.length, 0);
  for (let move = 1; move < shares.length * shares.length; move++) {
    const lengths = shares.map((share) => share.length);
    const [most, fewest] = [lengths.indexOf(Math.max(...lengths)), lengths.indexOf(Math.min(...lengths))];
    const difference = lengths[most] - lengths[fewest];
    if (difference <= Math.max(DRIFT * size, DRIFT_MIN)) break;
    const moved = shares[most].splice(shares[most].length - Math.floor(difference / 3));
    const gone = new Set(moved);
    const fate = fates[most];
    for (let i = 0; i < fate.length; i++) if (gone.has(fate[i])) fate[i] = -1;
    adopted[most] = adopted[most].filter((rank) => !gone.has(rank)); // adopted in an earlier move, moving on
    adopted[fewest].push(...moved);
    shares[fewest] = [...shares[fewest], ...moved].sort((a, b) => a - b);
  }
  return adopted.map((ranks) => Int32Array.from(ranks));
}

/**
 * The choice numbers from the root to the state of `rank` in level `level`.
 * @example choicesTo(links, 3, 0) // e.g. [0, 0, 1]
 */
export function choicesTo(links: readonly LevelLinks[], level: number, rank: number): number[] {
  const path: number[] = [];
  for (let l = level, r = rank; l > 0; l--) {
    path.push(links[l].choices[r]);
    r = links[l].parents[r];
  }
  return path.reverse();
}
