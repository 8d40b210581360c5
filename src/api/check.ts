/**
 * `check(scenario, options)`: the library form of `interleave check`. It returns the same object that
 * `--json` prints. Wall-clock time is read here, outside the deterministic core, only to report speed.
 */
import type { Params, Scenario, Variant } from '../scenario.ts';
import type { ClockSpec } from '../sim/clock.ts';
import type { FaultBudget } from '../sim/actions.ts';
import type { FixedClocks, SkewBounds } from '../check/arbitraries.ts';
import { scenarios } from '../../models/index.ts';
import { checkExhaustively, checkVariant, type ExhaustiveExplorer, type RandomExplorer, type VariantOutcome } from '../check/check-variant.ts';
import { exploreExhaustive, SEARCH_ORDERS, type ExhaustiveBounds, type ExhaustiveStats, type SearchOrder } from '../check/exhaustive.ts';
import { exploreDepthFirst } from '../check/depth-first.ts';
import type { ViolationReport } from '../check/counterexample.ts';
import { serverName } from '../report/timeline.ts';
import { findVariant, prepare, resolveParams, UsageError, type Prepared } from '../check/prepare.ts';
import type { Property } from '../../properties/property.ts';
import type { ExploreOptions } from '../check/random.ts';
import { threadExplorers } from '../check/parallel/explorers.ts';

/** Options of `check`; every one has a default. */
export interface CheckOptions {
  /** Variant name (default: the scenario's first). */
  readonly variant?: string;
  /** Seed of the exploration and of the tokens (default 1). */
  readonly seed?: number;
  /** Schedules to explore (default 10,000). */
  readonly runs?: number;
  /** Scenario parameters, e.g. `{ buyers: 2, stock: 1, ttl: 5000 }`. */
  readonly params?: Readonly<Record<string, number | undefined>>;
  /** Largest clock offset of any node, ms (default 0). */
  readonly maxSkewMs?: number;
  /** Largest clock drift of any node, ppm (default 0). */
  readonly maxDriftPpm?: number;
  /** Longest process pause, ms (default 10,000). */
  readonly maxPauseMs?: number;
  /** Pauses that may land per run (default: the scenario's, else 2). */
  readonly pauses?: number;
  /** Crashes that may land per run (default: the scenario's, else 1). */
  readonly crashes?: number;
  /** Publishes per run that may lose their message or confirm (default: the scenario's, else 0). */
  readonly losses?: number;
  /** Consumer channels the broker may close per run (default: the scenario's, else 0). */
  readonly closes?: number;
  /** Clock jumps per run, on any node (default 0). */
  readonly jumps?: number;
  /** The size of a clock jump, ms, forward or back (default 10,000). */
  readonly maxJumpMs?: number;
  /** Tick mode: time passes in ticks of this many ms, a choice at every state up to `horizonMs` (default: off). */
  readonly tickMs?: number;
  /** Tick mode: the last instant a tick may reach, ms (required with `tickMs`). */
  readonly horizonMs?: number;
  /** Clocks to fix, by node name (`A`, `B`, … or `redis`); the others vary within the skew bounds. */
  readonly clocks?: Readonly<Record<string, ClockSpec>>;
  /**
   * How each schedule is chosen: `random` (the default, unless the scenario names another), uniformly among the
   * actions at every step, or `pct`,
   * probabilistic concurrency testing with bug depth `depth` (src/check/pct.ts states its guarantee).
   */
  readonly mode?: SearchMode;
  /** PCT's bug depth d (default 3): the ordering constraints a bug needs. */
  readonly depth?: number;
  /** Exhaustive search: the longest schedule explored, in scheduler decisions (default 40). */
  readonly maxDepth?: number;
  /** Exhaustive search: the most distinct states stored (default 2,000,000). */
  readonly maxStates?: number;
  /** Exhaustive search: wall-time budget in ms (default: none). */
  readonly maxTimeMs?: number;
  /** Exhaustive search: stop once the process's resident memory passes this many MiB (default: none). */
  readonly maxMemoryMb?: number;
  /** Exhaustive search: count states that differ only by which of two identical workers is which once. */
  readonly symmetry?: boolean;
  /**
   * Exhaustive search: `breadth` (default) keeps parent links and a graph, for a shortest counterexample and
   * runs that never end; `depth` keeps only the visited table and the path it follows, as SPIN does — a proof
   * takes far less memory and time; a violation it meets is shortened by a breadth-first search to its depth;
   * runs that never end are not judged.
   */
  readonly order?: SearchOrder;
  /** Check only this `always` property (and the `sometimes` ones). */
  readonly property?: string;
  /** Called now and then with the number of schedules explored (states visited, in exhaustive mode). */
  readonly onProgress?: (schedules: number) => void;
  /**
   * Threads to search on (default 1): this one and `threads − 1` worker threads. The result is the same for any
   * number: the same counts, the same counterexample (built-in scenarios only: a worker finds a scenario by its
   * name).
   */
  readonly threads?: number;
}

/** How `check` searches: random schedules, PCT schedules, or every schedule breadth-first. */
export type SearchMode = 'random' | 'pct' | 'exhaustive';

/**
 * The search modes `check` accepts.
 * @example SEARCH_MODES.includes('pct') // true
 */
export const SEARCH_MODES: readonly SearchMode[] = ['random', 'pct', 'exhaustive'];

/** The defaults of `check` and `interleave check`. */
export const CHECK_DEFAULTS = { seed: 1, runs: 10_000, maxPauseMs: 10_000, pauses: 2, crashes: 1, losses: 0, closes: 0, jumps: 0, maxJumpMs: 10_000, depth: 3, maxDepth: 40, maxStates: 2_000_000, maxSkewMs: 0, maxDriftPpm: 0 } as const;

/** The result of `check`, as `--json` prints it. */
export interface CheckResult {
  /** Scenario name. */
  readonly scenario: string;
  /** Variant name. */
  readonly variant: string;
  /** Parameter values used (defaults filled in). */
  readonly params: Params;
  /** The seed used. */
  readonly seed: number;
  /** How schedules were chosen. */
  readonly search: {
    /** `random`, `pct` or `exhaustive`. */
    readonly mode: SearchMode;
    /** PCT's bug depth; `null` in random mode. */
    readonly depth: number | null;
  };
  /** Schedules asked for. */
  readonly runs: number;
  /** The fault budget of every schedule. */
  readonly faults: FaultBudget;
  /**
   * Bounds on clock error: random search draws each clock's offset and drift within them; exhaustive search
   * chooses each from {−max, 0, +max}.
   */
  readonly skew: SkewBounds;
  /** The `always` properties checked. */
  readonly checked: readonly string[];
  /** The `sometimes` properties that some schedule reached (each proves the scenario gets somewhere). */
  readonly reached: readonly string[];
  /** `violation` when a property failed, else `none`. */
  readonly result: 'violation' | 'none';
  /** The minimal counterexample, or `null`. */
  readonly violation: ViolationReport | null;
  /** Search statistics. */
  readonly stats: {
    /** Schedules explored. */
    readonly schedules: number;
    /** Exploration speed. */
    readonly schedulesPerSecond: number;
    /** Wall time of the whole check, ms. */
    readonly elapsedMs: number;
    /** The number of the schedule that found the reported violation, or `null`. */
    readonly foundAt: number | null;
    /** Steps of the failing run before minimisation, or `null`. */
    readonly originalSteps: number | null;
    /** Exhaustive search only: how far it got. */
    readonly exhaustive?: ExhaustiveStats;
    /**
     * Random and PCT search, with no violation: runs cut off (at 10,000 steps) before they were over, whose
     * `eventually` properties were therefore not judged.
     */
    readonly unjudged?: number;
  };
}

/**
 * Finds a scenario by name among `among` (default: the built-in ones), or says which exist.
 * @example findScenario('inventory').variants.map((v) => v.name)
 */
export function findScenario(name: string, among: readonly Scenario[] = scenarios): Scenario {
  const scenario = among.find((s) => s.name === name);
  if (!scenario) throw new UsageError(`unknown scenario '${name}' (scenarios: ${among.map((s) => s.name).join(', ')})`);
  return scenario;
}

/**
 * The fault budget `check` gives `scenario` when the options name none: the scenario's own defaults, else the
 * checker's.
 * @example defaultFaults(inventory) // { pauses: 2, crashes: 0, maxPauseMs: 10000, losses: 0, closes: 0, jumps: 0, maxJumpMs: 10000 }
 */
export function defaultFaults(scenario: Scenario): FaultBudget {
  return {
    pauses: scenario.faults?.pauses ?? CHECK_DEFAULTS.pauses,
    crashes: scenario.faults?.crashes ?? CHECK_DEFAULTS.crashes,
    maxPauseMs: CHECK_DEFAULTS.maxPauseMs,
    losses: scenario.faults?.losses ?? CHECK_DEFAULTS.losses,
    closes: scenario.faults?.closes ?? CHECK_DEFAULTS.closes,
    jumps: CHECK_DEFAULTS.jumps,
    maxJumpMs: CHECK_DEFAULTS.maxJumpMs,
  };
}

/** Clocks given by node name (`A`, …, `redis`, `redis-2`, …), as the explorer takes them, by index. */
function fixedClocks(processNames: readonly string[], servers: number, byName: Readonly<Record<string, ClockSpec>>): FixedClocks {
  const serverNames = Array.from({ length: servers }, (_, i) => serverName(i));
  const processes: Record<number, ClockSpec> = {};
  const fixedServers: Record<number, ClockSpec> = {};
  for (const [node, clock] of Object.entries(byName)) {
    if (serverNames.includes(node)) fixedServers[serverNames.indexOf(node)] = clock;
    else if (processNames.includes(node)) processes[processNames.indexOf(node)] = clock;
    else throw new UsageError(`--clock: no node '${node}' (nodes: ${[...processNames, ...serverNames].join(', ')})`);
  }
  return { processes, servers: fixedServers };
}

/** The bounds of an exhaustive search; its time budget is read here, outside the deterministic core. */
function exhaustiveBounds(options: CheckOptions, started: number): ExhaustiveBounds {
  const positive = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`${name} must be a positive integer, got ${value}`);
    return value;
  };
  const maxDepth = positive('--max-depth', options.maxDepth ?? CHECK_DEFAULTS.maxDepth);
  const maxStates = positive('--max-states', options.maxStates ?? CHECK_DEFAULTS.maxStates);
  const { onProgress, symmetry = false } = options;
  if (options.order !== undefined && !SEARCH_ORDERS.includes(options.order)) throw new UsageError(`--order must be one of ${SEARCH_ORDERS.join(', ')}, got '${options.order}'`);
  if (options.maxTimeMs === undefined && options.maxMemoryMb === undefined) return { maxDepth, maxStates, onProgress, symmetry };
  const deadline = options.maxTimeMs === undefined ? Number.POSITIVE_INFINITY : started + positive('--max-time', options.maxTimeMs);
  const memoryCap = options.maxMemoryMb === undefined ? Number.POSITIVE_INFINITY : positive('--max-memory', options.maxMemoryMb) * 2 ** 20;
  let stoppedBy: 'max-time' | 'max-memory' | null = null;
  const shouldStop = () => {
    if (performance.now() > deadline) stoppedBy = 'max-time';
    else if (process.memoryUsage.rss() > memoryCap) stoppedBy = 'max-memory';
    return stoppedBy !== null;
  };
  return { maxDepth, maxStates, onProgress, symmetry, shouldStop, stoppedBy: () => stoppedBy };
}

/** The tick-mode fields of the fault budget, checked: both or neither. */
function tickMode(options: CheckOptions): Pick<FaultBudget, 'tickMs' | 'horizonMs'> {
  if (options.tickMs === undefined && options.horizonMs === undefined) return {};
  if (options.tickMs === undefined || options.horizonMs === undefined) throw new UsageError('--tick and --horizon go together');
  if (!Number.isInteger(options.tickMs) || options.tickMs < 1) throw new UsageError(`--tick must be a positive integer, got ${options.tickMs}`);
  return { tickMs: options.tickMs, horizonMs: nonNegativeInt('--horizon', options.horizonMs) };
}

function nonNegativeInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`${name} must be a non-negative integer, got ${value}`);
  return value;
}

/**
 * Checks a scenario variant by random exploration with fault injection; the counterexample, if any, is minimal.
 * @example
 * const result = check('inventory', { variant: 'naive-lock', seed: 3 });
 * if (result.violation) console.log(result.violation.property, result.violation.replay);
 */
export function check(scenario: Scenario | string, options: CheckOptions = {}): CheckResult {
  const started = performance.now();
  const plan = planCheck(scenario, options, started);
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`--threads must be a positive integer, got ${threads}`);
  const outcome = searchPlan(plan, threads === 1 ? {} : threadExplorers(plan.prepared, threads, plan.order));
  return checkResult(plan, outcome, performance.now() - started);
}

/** A check as `check` sets it up from its options, validated and with every default filled in, before it searches. */
export interface CheckPlan {
  /** The scenario. */
  readonly scenario: Scenario;
  /** The variant. */
  readonly variant: Variant;
  /** The variant built for the parameters and seed. */
  readonly prepared: Prepared;
  /** How schedules are chosen, and PCT's depth (`null` but in PCT mode). */
  readonly search: CheckResult['search'];
  /** Schedules asked for. */
  readonly runs: number;
  /** The fault budget. */
  readonly faults: FaultBudget;
  /** Bounds on clock error. */
  readonly skew: SkewBounds;
  /** Clocks the user fixed. */
  readonly fixed: FixedClocks;
  /** The properties checked, in priority order. */
  readonly properties: readonly Property[];
  /** The options of a random or PCT search. */
  readonly explore: ExploreOptions;
  /** The bounds of an exhaustive search (`null` in the other modes). */
  readonly bounds: ExhaustiveBounds | null;
  /** The order of an exhaustive search. */
  readonly order: SearchOrder;
}

/**
 * Validates `options` and sets up the check of `scenario` (`started`: when the check began, by
 * `performance.now()`, for its time budget).
 * @example planCheck('inventory', { variant: 'fenced' }, performance.now()).properties.map((p) => p.name)
 */
export function planCheck(scenario: Scenario | string, options: CheckOptions, started: number): CheckPlan {
  const chosen = typeof scenario === 'string' ? findScenario(scenario) : scenario;
  const variant = findVariant(chosen, options.variant ?? chosen.variants[0].name);
  const seed = options.seed ?? CHECK_DEFAULTS.seed;
  const runs = options.runs ?? CHECK_DEFAULTS.runs;
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${seed}`);
  if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs must be a positive integer, got ${runs}`);
  const prepared = prepare(chosen, variant, resolveParams(chosen, options.params ?? {}), seed);
  const maxPauseMs = options.maxPauseMs ?? CHECK_DEFAULTS.maxPauseMs;
  if (!Number.isInteger(maxPauseMs) || maxPauseMs < 1) throw new UsageError(`--max-pause must be a positive integer, got ${maxPauseMs}`);
  const mode = options.mode ?? chosen.mode ?? 'random';
  if (!SEARCH_MODES.includes(mode)) throw new UsageError(`--mode must be one of ${SEARCH_MODES.join(', ')}, got '${mode}'`);
  const depth = mode === 'pct' ? options.depth ?? CHECK_DEFAULTS.depth : null;
  if (depth !== null && (!Number.isInteger(depth) || depth < 1)) throw new UsageError(`--depth must be a positive integer, got ${depth}`);
  const defaults = defaultFaults(chosen);
  const faults = { pauses: nonNegativeInt('--pauses', options.pauses ?? defaults.pauses), crashes: nonNegativeInt('--crashes', options.crashes ?? defaults.crashes), maxPauseMs,
    losses: nonNegativeInt('--losses', options.losses ?? defaults.losses),
    closes: nonNegativeInt('--closes', options.closes ?? defaults.closes),
    jumps: nonNegativeInt('--jumps', options.jumps ?? defaults.jumps),
    maxJumpMs: nonNegativeInt('--max-jump', options.maxJumpMs ?? defaults.maxJumpMs),
    ...tickMode(options) };
  const all = prepared.instance.properties;
  const properties = options.property === undefined ? all : all.filter((p) => p.kind === 'sometimes' || p.name === options.property);
  if (options.property !== undefined && !all.some((p) => p.name === options.property && p.kind !== 'sometimes')) {
    throw new UsageError(`variant '${variant.name}' has no property '${options.property}' (it has: ${all.filter((p) => p.kind !== 'sometimes').map((p) => p.name).join(', ')})`);
  }
  const fixed = fixedClocks(prepared.processes.map((p) => p.name), prepared.servers, options.clocks ?? {});
  const skew = {
    maxSkewMs: nonNegativeInt('--max-skew', options.maxSkewMs ?? chosen.faults?.maxSkewMs ?? CHECK_DEFAULTS.maxSkewMs),
    maxDriftPpm: nonNegativeInt('--max-drift', options.maxDriftPpm ?? CHECK_DEFAULTS.maxDriftPpm),
  };
  const explore = {
    seed, runs, faults,
    fixedClocks: fixed,
    ...skew,
    onProgress: options.onProgress,
    ...(depth === null ? {} : { pctDepth: depth }),
  };
  return { scenario: chosen, variant, prepared, search: { mode, depth }, runs, faults, skew, fixed, properties, explore,
    bounds: mode === 'exhaustive' ? exhaustiveBounds(options, started) : null, order: options.order ?? 'breadth' };
}

/**
 * Runs the search `plan` sets up: in this thread, or by the explorers given (worker threads, merged shards).
 * @example searchPlan(plan).violation?.property
 */
export function searchPlan(plan: CheckPlan, explorers: { readonly random?: RandomExplorer; readonly exhaustive?: ExhaustiveExplorer } = {}): VariantOutcome {
  return plan.search.mode === 'exhaustive'
    ? checkExhaustively(plan.prepared, plan.faults, plan.fixed, plan.bounds!, plan.properties, plan.skew, explorers.exhaustive ?? (plan.order === 'depth' ? exploreDepthFirst : exploreExhaustive))
    : checkVariant(plan.prepared, plan.explore, plan.properties, explorers.random);
}

/** `stats` with the outside bound that stopped the search named, when one did. */
function withStopReason(stats: ExhaustiveStats, bounds: ExhaustiveBounds | null): ExhaustiveStats {
  const by = stats.bound === 'stopped' ? bounds?.stoppedBy?.() : null;
  return by ? { ...stats, stoppedBy: by } : stats;
}

/**
 * The result of `check`, from its plan and what its search found, `elapsedMs` after it began.
 * @example checkResult(plan, searchPlan(plan), 120).result
 */
export function checkResult(plan: CheckPlan, outcome: VariantOutcome, elapsedMs: number): CheckResult {
  const { scenario, variant, prepared, search, runs, faults, skew, properties } = plan;
  return {
    scenario: scenario.name, variant: variant.name, params: prepared.params, seed: prepared.seed, search, runs, faults, skew,
    checked: properties.filter((p) => p.kind !== 'sometimes').map((p) => p.name),
    reached: outcome.reached,
    result: outcome.violation ? 'violation' : 'none',
    violation: outcome.violation,
    stats: {
      schedules: outcome.schedules,
      schedulesPerSecond: Math.round(outcome.schedules / Math.max(elapsedMs / 1000, 1e-6)),
      elapsedMs: Math.round(elapsedMs),
      foundAt: outcome.foundAt,
      originalSteps: outcome.originalSteps,
      ...(outcome.exhaustive ? { exhaustive: withStopReason(outcome.exhaustive, plan.bounds) } : {}),
      ...(outcome.unjudged ? { unjudged: outcome.unjudged } : {}),
    },
  };
}
