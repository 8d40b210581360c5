/**
 * Depth-first search on several threads, as SPIN's multi-core search does it: one table of visited states that
 * every thread inserts into atomically (shared-fingerprint-set.ts), so each state is expanded once, by whichever
 * thread meets it first; idle threads are handed states from the bottom of busy threads' stacks (work-share.ts).
 * A complete search visits the same states and takes the same transitions on any number of threads; a violation
 * met is shortened by breadth-first search, as on one thread, so the counterexample is the same too.
 */
import type { Property } from '../../../properties/property.ts';
import type { RunSetup } from '../../sim/run-setup.ts';
import { Simulation } from '../../sim/simulation.ts';
import { boundOf, DepthFirstWalker, outranks, shortenedOutcome, type DepthFirstFinding } from '../depth-first.ts';
import type { ExhaustiveBounds, ExhaustiveOutcome } from '../exhaustive.ts';
import type { Prepared } from '../prepare.ts';
import { SharedFingerprintSet, type SharedTable } from '../shared-fingerprint-set.ts';
import { jobOf, setupData, type SearchJob, type SetupData } from './job.ts';
import { askThreads } from './pool.ts';
import { WorkShare, type SharedWork } from './work-share.ts';

/** One thread's part of a depth-first search, as asked of it. */
export interface DepthFirstRequest {
  readonly kind: 'depth-first';
  readonly job: SearchJob;
  readonly setup: SetupData;
  readonly symmetric: boolean;
  readonly maxDepth: number;
  readonly maxStates: number;
  readonly table: SharedTable;
  readonly work: SharedWork;
  /** The thread's number: 0 starts at the root, the others wait for work. */
  readonly thread: number;
}

/** What one thread saw. */
export interface DepthFirstPart {
  readonly transitions: number;
  readonly deepest: number;
  readonly cut: boolean;
  readonly full: boolean;
  readonly found: DepthFirstFinding | null;
  readonly reached: readonly string[];
}

/**
 * Depth-first search of `setup` (of `prepared`) on `threads` threads: the outcome of `exploreDepthFirst`.
 * @example exploreDepthFirstInThreads(prepared, setup, properties, { maxDepth: 40, maxStates: 2_000_000 }, 2).states
 */
export function exploreDepthFirstInThreads(prepared: Prepared, setup: RunSetup, properties: readonly Property[], bounds: ExhaustiveBounds, threads: number): ExhaustiveOutcome {
  const symmetric = bounds.symmetry ?? false;
  const table = SharedFingerprintSet.create(threads);
  const work = WorkShare.create(threads);
  const visited = SharedFingerprintSet.attach(table, 0);
  const fingerprint = new Simulation(setup).fingerprint(symmetric);
  visited.enter();
  visited.addFingerprint(fingerprint.high, fingerprint.low);
  visited.leave();
  // Progress and the outside bounds, on this thread: while it walks, and while it waits for the others.
  const share = WorkShare.attach(work, visited);
  let stopped = false;
  const meanwhile = () => {
    bounds.onProgress?.(visited.size);
    if (!stopped && bounds.shouldStop?.()) {
      stopped = true;
      share.stop();
    }
  };
  const job = jobOf(prepared, properties);
  const request = (thread: number): DepthFirstRequest => ({
    kind: 'depth-first', job, setup: setupData(setup), symmetric, maxDepth: bounds.maxDepth, maxStates: bounds.maxStates, table, work, thread,
  });
  const parts = askThreads(threads, request, meanwhile);
  const full = parts.some((p) => p.full);
  const found = parts.reduce<DepthFirstFinding | null>((best, { found: f }) => (f !== null && outranks(f.rank, f.path.length, best) ? f : best), null);
  return shortenedOutcome(setup, properties, bounds, {
    states: visited.size, transitions: parts.reduce((sum, p) => sum + p.transitions, 0), deepest: Math.max(...parts.map((p) => p.deepest)),
    tableBytes: visited.bytes, bound: boundOf(full, stopped && !full && found?.rank !== 0, parts.some((p) => p.cut)), found,
    reached: new Set(parts.flatMap((p) => p.reached)),
  });
}

/**
 * A thread's part of a depth-first search: it walks below the root (thread 0) or below the states it is handed,
 * until the search is over or stopped; `meanwhile` is called now and then.
 * @example walkPart(setup, properties, request)
 */
export function walkPart(setup: RunSetup, properties: readonly Property[], request: DepthFirstRequest, meanwhile?: () => void): DepthFirstPart {
  const visited = SharedFingerprintSet.attach(request.table, request.thread);
  const share = WorkShare.attach(request.work, visited);
  const walker = new DepthFirstWalker(setup, properties, visited, request.symmetric, request.maxDepth, request.maxStates);
  let polls = 0;
  const control = {
    shouldStop: () => {
      visited.pollGrowth();
      if (++polls % 4 === 0) meanwhile?.();
      return share.stopped;
    },
    give: (path: () => readonly number[]) => share.give(path),
  };
  if (request.thread === 0) visited.enter();
  for (let path = request.thread === 0 ? [] : share.take(meanwhile); path !== null; path = share.take(meanwhile)) {
    if (walker.walk(path, control)) continue;
    // Full, the headline found, or stopped: the others stop too.
    share.stop();
    break;
  }
  visited.leave();
  const { transitions, deepest, cut, full, found } = walker;
  return { transitions, deepest, cut, full, found, reached: [...walker.checks.reached] };
}
