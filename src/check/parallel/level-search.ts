/**
 * Exhaustive search on several threads: breadth-first, one level at a time. Each thread — this one and worker
 * threads — expands its share of the level (level-expander.ts) and reports the fingerprints and keys of its
 * successors; this thread keeps the one table of visited states and merges them (level-merge.ts): for each new
 * state of the next level its least key
 * — the parent and the choice by which the sequential search meets it first — so that ranking the new states by
 * key gives the very order of the sequential search's next level, and each level's parent ranks and choice
 * numbers, to rebuild a counterexample.
 *
 * So the levels, and with them states, transitions, depth, the `sometimes` reached and the first violation of
 * the highest-ranked property, are the sequential search's — a `--max-states` bound too, which it reaches at
 * the state of the same rank. (Why not split the state space into subtrees, one per worker? Interleavings
 * commute: most states lie below most roots, and each worker would visit most of the space.)
 */
import type { Property } from '../../../properties/property.ts';
import type { Action } from '../../sim/actions.ts';
import type { RunSetup } from '../../sim/run-setup.ts';
import { Simulation } from '../../sim/simulation.ts';
import type { Prepared } from '../prepare.ts';
import { actionsAlong, loopActions, type ExhaustiveBounds, type ExhaustiveOutcome } from '../exhaustive.ts';
import { FingerprintSet } from '../fingerprint-set.ts';
import { jobOf, setupData, type SearchJob } from './job.ts';
import type { Request, Response } from './worker.ts';
import { askThreads } from './pool.ts';
import { KEY_SPAN, type LevelPlan, type LevelReport } from './level-expander.ts';
import { choicesTo, mergeLevel, type LevelLinks } from './level-merge.ts';
import { LevelGraph } from './level-graph.ts';

/** The first violation of the highest-ranked property so far: the property's index, the level, the key. */
interface Best {
  readonly property: number;
  readonly level: number;
  readonly key: number;
}

/**
 * Breadth-first search of `setup` (of `prepared`) on `threads` threads: the same outcome as `exploreExhaustive`.
 * @example exploreExhaustiveInThreads(prepared, setup, properties, { maxDepth: 40, maxStates: 2_000_000 }, 2)
 */
export function exploreExhaustiveInThreads(prepared: Prepared, setup: RunSetup, properties: readonly Property[], bounds: ExhaustiveBounds, threads: number): ExhaustiveOutcome {
  return searchLevels(jobOf(prepared, properties), setup, properties, bounds, threads, (requestFor, meanwhile) => askThreads(threads, requestFor, meanwhile));
}

/** How the search asks its `threads` participants (see `askThreads`), each `requestFor(i)`: their answers, in order. */
export type Ask = <R extends Request>(requestFor: (participant: number) => R, meanwhile?: () => void) => Response<R>[];

/**
 * The breadth-first search of `job` (its `setup` and `properties`) by `threads` participants, asked through `ask`:
 * worker threads, or — to test the search itself — participants in this thread.
 * @example searchLevels(job, setup, properties, bounds, 2, (requestFor) => [a, b].map((p, i) => p.answer(requestFor(i))))
 */
export function searchLevels(job: SearchJob, setup: RunSetup, properties: readonly Property[], bounds: ExhaustiveBounds, threads: number, ask: Ask): ExhaustiveOutcome {
  const symmetric = bounds.symmetry ?? false;
  const liveness = properties.filter((p) => p.kind === 'eventually');
  // The sequential search keeps the graph for runs that never end in the same case (see exploreExhaustive).
  const graph = liveness.length > 0 && !symmetric ? new LevelGraph() : null;
  ask((t) => ({ kind: 'levels-start', job, setup: setupData(setup), symmetric, holdsRoot: t === 0, graph: graph !== null }));
  const visited = new FingerprintSet(graph !== null);
  visited.add(new Simulation(setup).fingerprint(symmetric));
  const links: LevelLinks[] = [{ parents: new Uint32Array(1), choices: new Uint16Array(1) }];
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const whileWaiting = () => {
    bounds.onProgress?.(visited.size);
    if (bounds.shouldStop?.()) Atomics.store(stop, 0, 1);
  };
  let shares: number[][] = Array.from({ length: threads }, (_, t) => (t === 0 ? [0] : []));
  let plans: ((w: number) => LevelPlan) | null = null;
  let states = 1;
  let transitions = 0;
  let depth = 0;
  let bound: ExhaustiveOutcome['bound'] = null;
  let best: Best | null = null;
  const reached = new Set<string>();
  try {
    while (links[depth].parents.length > 0 && best?.property !== 0 && bound === null) {
      if (depth >= bounds.maxDepth) {
        bound = 'max-depth';
        break;
      }
      const plan = plans;
      const reports = ask((w) => ({ kind: 'level', plan: plan?.(w) ?? null, stop: stop.buffer as SharedArrayBuffer }), whileWaiting);
      const next = mergeLevel(reports, visited, states, bounds.maxStates, symmetric);
      transitions += countTransitions(reports, shares, links[depth].parents.length, next.cutoffKey);
      for (const report of reports) for (const [name, key] of report.reached) if (key <= next.cutoffKey) reached.add(name);
      best = betterViolation(best, reports, depth, next.cutoffKey);
      graph?.addLevel(reports, shares, next.cutoffKey, visited, next.links.parents.length);
      links.push(next.links);
      states += next.links.parents.length;
      shares = next.shares;
      const level = links.length - 1;
      plans = (w) => ({ fates: next.fates[w], adopted: next.adopted[w], paths: Uint16Array.from([...next.adopted[w]].flatMap((rank) => choicesTo(links, level, rank))) });
      if (next.cutoffKey < Infinity) bound = 'max-states';
      else if (reports.some((r) => r.stopped) || Atomics.load(stop, 0) !== 0) bound = 'stopped';
      else depth++;
      bounds.onProgress?.(states);
    }
  } finally {
    ask(() => ({ kind: 'levels-end' }));
  }
  let found: ExhaustiveOutcome['found'] = best && { property: properties[best.property], actions: pathTo(setup, links, best) };
  const lasso = graph && best?.property !== 0 ? graph.graph.findLasso(liveness.length) : null;
  if (lasso && (best === null || properties.indexOf(liveness[lasso.property]) < best.property)) {
    const { level, rank } = graph!.stateOf(lasso.entry);
    const stem = actionsTo(setup, links, level, rank);
    found = { property: liveness[lasso.property], actions: [...stem, ...loopActions(setup, stem, lasso.loop)], loopsFrom: stem.length };
  }
  return {
    states, transitions, depth, exhausted: bound === null && links[depth].parents.length === 0, bound,
    tableBytes: visited.bytes, symmetry: symmetric, order: 'breadth', cyclesJudged: graph !== null || liveness.length === 0, shortest: true,
    found, reached,
  };
}

/** Transitions taken in expanding a level: every choice of every state, up to the one at `cutoffKey`. */
function countTransitions(reports: readonly LevelReport[], shares: readonly (readonly number[])[], size: number, cutoffKey: number): number {
  const byRank = new Uint32Array(size);
  reports.forEach((report, w) => shares[w].forEach((rank, i) => (byRank[rank] = report.choices[i] ?? 0)));
  if (cutoffKey === Infinity) return byRank.reduce((sum, n) => sum + n, 0);
  const lastRank = Math.floor(cutoffKey / KEY_SPAN);
  return byRank.subarray(0, lastRank).reduce((sum, n) => sum + n, 0) + (cutoffKey % KEY_SPAN);
}

/** `best`, or this level's first violation of a higher-ranked property (up to `cutoffKey`). */
function betterViolation(best: Best | null, reports: readonly LevelReport[], level: number, cutoffKey: number): Best | null {
  let better = best;
  for (const report of reports) {
    for (const [property, key] of report.violations) {
      if (key > cutoffKey || (better !== null && (property > better.property || (property === better.property && (better.level < level || key >= better.key))))) continue;
      better = { property, level, key };
    }
  }
  return better;
}

/** The actions from the root to the violation `best`: its state's path, then its choice. */
function pathTo(setup: RunSetup, links: readonly LevelLinks[], best: Best): Action[] {
  const last = (best.key % KEY_SPAN) - 1;
  return actionsTo(setup, links, best.level, Math.floor(best.key / KEY_SPAN), last >= 0 ? [last] : []);
}

/** The actions from the root to the state of `rank` in `level` (by its links back to the root), then `then`. */
function actionsTo(setup: RunSetup, links: readonly LevelLinks[], level: number, rank: number, then: readonly number[] = []): Action[] {
  return actionsAlong(new Simulation(setup), [...choicesTo(links, level, rank), ...then]);
}
