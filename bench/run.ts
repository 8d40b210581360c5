/**
 * `npm run bench`: interleave's random checker on every `inventory` variant, side by side with a BASELINE of the
 * naive-lock variant written with plain fast-check (`fc.scheduler()` + ioredis-mock, see
 * `baseline-naive-lock.ts`), and on the at-least-once scenarios. Prints, in one run:
 *   1. throughput — complete runs per second, no stopping at a violation, each round in a fresh process
 *      (`throughput-round.ts`), the two sides alternated; also `payment`'s idempotent variant, both as plain
 *      exploration and as whole `check()` calls, alternated (it has no fast-check baseline: the one is the other's);
 *   2. inventory's first counterexample over seeds 1..20 — wall time to it, and its length;
 *   3. the same for every buggy variant of payment, order-confirm and checkout (`first-counterexample.ts`);
 *   4. a summary against the targets (≥ 20× the baseline's runs/s; counterexamples no longer than its);
 *   5. exhaustive search of fixed variants: states, states per second, bytes per state (the visited table, and
 *      the whole process at its peak), with and without symmetry reduction, each in a fresh process;
 *   6. against SPIN: inventory/fenced in tick form, N = 3, 4, 5, the same model in Promela (`spin/compare.ts`).
 *   7. exhaustive search on 1 and 2 worker threads, alternated, each in a fresh process (`threads.ts`).
 *   8. the runner on real Redis and RabbitMQ against plain client code: lock cycles/s vs redis-semaphore's Mutex,
 *      consume+ack msgs/s vs a raw amqplib loop (`runner-throughput.ts`; skipped, with one line, without them).
 * Writes nothing to disk but SPIN's temporary build directory, which it removes.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { defaultFaults, findScenario } from '../src/api/check.ts';
import { resolveParams } from '../src/check/prepare.ts';
import { decodeToken } from '../src/check/replay-token.ts';
import { encodeAction } from '../src/sim/actions.ts';
import { scenarios } from '../src/index.ts';
import { NaiveLockBaseline, TICK_LABEL } from './baseline-naive-lock.ts';
import { firstCounterexamples } from './first-counterexample.ts';
import { compareThreads } from './threads.ts';
import { compareRunnerThroughput } from './runner-throughput.ts';
import { formatSpread, median, spread, table, thousands, timed } from './measure.ts';
import { compareWithSpin } from './spin/compare.ts';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const HEAD_TO_HEAD_ROUNDS = 9; // naive-lock vs baseline, alternated so drift in machine load hits both sides
const OURS_RUNS = 100_000; // per round: about as long as a baseline round
const BASELINE_RUNS = 5_000; // per round (the baseline is slower)
const OTHER_ROUNDS = 3;
const OTHER_RUNS = 20_000;
const PAYMENT_ROUNDS = 5; // payment/idempotent, plain exploration vs whole check() calls, alternated
const PAYMENT_RUNS = 50_000; // per round, about a second
const AT_LEAST_ONCE = ['payment', 'order-confirm', 'checkout'];
const PROPERTY = 'no-oversell'; // the one property the baseline checks

const inventory = findScenario('inventory');
const variants = inventory.variants.map((v) => v.name);
const buggy = inventory.variants.filter((v) => v.expected === 'violates').map((v) => v.name);
const baseline = new NaiveLockBaseline();
/** Appends `value` to the list under `key`. */
const push = <V>(map: Map<string, V[]>, key: string, value: V) => map.set(key, [...(map.get(key) ?? []), value]);
const fcVersion = (createRequire(import.meta.url)('fast-check/package.json') as { version: string }).version;

/** A scenario's default parameters and fault budget, in words. */
function setting(name: string): string {
  const scenario = findScenario(name);
  const faults = defaultFaults(scenario);
  const params = Object.entries(resolveParams(scenario, {})).map(([k, v]) => `${k} ${v}`).join(', ');
  return `${name} (${params}; faults: ${faults.pauses} pauses ≤ ${faults.maxPauseMs} ms, ${faults.crashes} crash${faults.crashes === 1 ? '' : 'es'})`;
}
console.log(`interleave bench — ${setting('inventory')}`);
console.log(`node ${process.version}, ${os.cpus().length} cpus, fast-check ${fcVersion}\n`);

// ── 1. Throughput of complete runs, each round in a fresh process. ──
const rates = new Map<string, number[]>(); // runs/s per round, by variant ('baseline' for the baseline)
const violating = new Map<string, number[]>(); // runs that broke a property, per round
const runsDone = new Map<string, number[]>(); // runs timed, per round
/** Runs one round of `runs` complete runs of `side` in a child process and records it under `key`. */
function measureRound(key: string, side: 'interleave' | 'check' | 'baseline', scenario: string, variant: string, runs: number, round: number): void {
  const args = ['--import', 'tsx', 'bench/throughput-round.ts', side, scenario, variant, String(runs), String(round)];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`throughput round failed: ${child.stderr}`);
  const { rate, violating: count } = JSON.parse(child.stdout) as { rate: number; violating: number };
  push(rates, key, rate);
  push(violating, key, count);
  push(runsDone, key, runs);
}
for (let round = 1; round <= HEAD_TO_HEAD_ROUNDS; round++) {
  // One round of each side at a time, so drift in machine load hits both.
  measureRound('naive-lock', 'interleave', 'inventory', 'naive-lock', OURS_RUNS, round);
  measureRound('baseline', 'baseline', 'inventory', 'naive-lock', BASELINE_RUNS, round);
}
for (const v of variants.filter((name) => name !== 'naive-lock')) {
  for (let round = 1; round <= OTHER_ROUNDS; round++) measureRound(v, 'interleave', 'inventory', v, OTHER_RUNS, round);
}
for (let round = 1; round <= PAYMENT_ROUNDS; round++) {
  measureRound('payment', 'interleave', 'payment', 'idempotent', PAYMENT_RUNS, round);
  measureRound('payment check()', 'check', 'payment', 'idempotent', PAYMENT_RUNS, round);
}
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const runsOf = (key: string) => sum(runsDone.get(key)!);
const row = (checker: string, scenario: string, variant: string, key: string) =>
  [checker, scenario, variant, thousands(median(rates.get(key)!)), thousands(runsOf(key)), `${((100 * sum(violating.get(key)!)) / runsOf(key)).toFixed(2)}%`];
/** Per-round ratios of `key`'s rate to `base`'s: rounds ran back to back in pairs, so drift hits both alike. */
const pairRatios = (key: string, base: string) => rates.get(key)!.map((rate, i) => rate / rates.get(base)![i]);
const ratios = (xs: readonly number[]) => `${xs.map((r) => `${r.toFixed(2)}×`).join(', ')}; median ${median(xs).toFixed(2)}×`;

console.log('1. Throughput — complete runs per second (median of rounds; a violation does not stop the run)');
console.log(table(['checker', 'scenario', 'variant', 'runs/s', 'runs', 'runs violating'], [
  ...variants.map((v) => row('interleave', 'inventory', v, v)),
  row('interleave', 'payment', 'idempotent', 'payment'),
  row('interleave, whole check() calls', 'payment', 'idempotent', 'payment check()'),
  row('baseline: fc.scheduler + ioredis-mock', 'inventory', 'naive-lock', 'baseline'),
]).join('\n'));
console.log(`   runs violating: ours, any of the variant's \`always\` properties (checked after every step); the baseline, sold ≤ 1.
   naive-lock rounds, runs/s — interleave: ${rates.get('naive-lock')!.map(thousands).join(', ')}; baseline: ${rates.get('baseline')!.map(thousands).join(', ')}
   ${setting('payment')}:
   its schedules are not inventory's (workers, a broker, crashes), so beside inventory's rows it shows the cost
   of a schedule, not one checker against another. It has no fast-check baseline; its reference is itself:
   \`check('payment', { variant: 'idempotent', runs: ${thousands(PAYMENT_RUNS)} })\`, which explores every schedule (the
   variant holds), against the same schedules by plain exploration (\`full-runs.ts\`, as for every other interleave
   row), rounds alternated; the ratio is what check() adds (setup, the \`sometimes\` check).
   payment rounds, schedules/s — exploration: ${rates.get('payment')!.map(thousands).join(', ')}; check(): ${rates.get('payment check()')!.map(thousands).join(', ')}
   payment check() ÷ exploration, per round pair: ${ratios(pairRatios('payment check()', 'payment'))}\n`);

// ── 2. First counterexample, seeds 1..20. ──
/** One counterexample, measured. Lengths count scheduler decisions; see the note printed under the table. */
interface Found {
  /** Wall time to the counterexample, ms: ours the whole `check()` (search, minimisation, report), the
   * baseline's `fc.check` up to its first failure (it has no minimisation, and fc.scheduler() no shrinking). */
  readonly ms: number;
  /** Schedules run up to and including the first failing one. */
  readonly schedules: number;
  /** Timeline events of the reported counterexample (ours only). */
  readonly events: number | null;
  /** Redis commands in the reported counterexample: our `step` actions, the baseline's gate tasks. */
  readonly commands: number;
  /** Redis commands up to the violation (ours end there; the baseline's report runs until all buyers finish). */
  readonly commandsToViolation: number;
  /** Every scheduler decision: our replay-token actions, all the baseline's scheduled tasks. */
  readonly decisions: number;
  /** One-line rendering of the counterexample's schedule. */
  readonly schedule: string;
}
const found = new Map<string, Found[]>();
const misses = new Map<string, number[]>();
for (const v of buggy) {
  // Only no-oversell is checked (with the `sometimes` ones), as `check --property no-oversell` does: the
  // baseline's property is sold ≤ stock, and with every property our search would often stop earlier, at a
  // cause (two buyers inside, a foreign release) rather than the oversell itself.
  // Each seed draws new lock tokens, so the machine caches start cold for it, as they would for a user.
  const checked = await firstCounterexamples('inventory', { variant: v, property: PROPERTY }, SEEDS);
  if (checked.misses.length > 0) misses.set(v, checked.misses);
  found.set(v, checked.found.map(({ ms, result, violation }) => {
    const actions = decodeToken(violation.replay!).actions;
    // Redis commands in the timeline (an arrival sends the buyer's first command in the same step).
    const commands = violation.steps.filter((s) => s.node !== 'redis' && / → /.test(s.text) && !s.text.startsWith('reads its clock')).length;
    return {
      ms, schedules: result.stats.schedules, events: violation.steps.length,
      commands, commandsToViolation: commands, decisions: actions.length, schedule: actions.map(encodeAction).join(' '),
    };
  }));
}
const baselineFound: Found[] = [];
for (const seed of SEEDS) {
  const { value, ms } = await timed(() => baseline.firstFailure(seed));
  if (!value) {
    push(misses, 'baseline', seed);
    continue;
  }
  const tasks = value.counterexample.tasks;
  const isCommand = (label: string) => label !== TICK_LABEL;
  baselineFound.push({
    ms, schedules: value.runs, events: null,
    commands: tasks.filter(isCommand).length,
    commandsToViolation: tasks.slice(0, value.counterexample.tasksToOversell ?? tasks.length).filter(isCommand).length,
    decisions: tasks.length, schedule: tasks.join(' → '),
  });
}

const col = <T>(rows: readonly T[], pick: (row: T) => number | null, digits = 0) => {
  const values = rows.map(pick).filter((x): x is number => x !== null);
  return values.length === 0 ? '—' : formatSpread(spread(values), digits);
};
console.log(`2. First counterexample of ${PROPERTY} over seeds 1..20 — median (min–max)`);
console.log(table(['checker', 'variant', 'found', 'ms to it', 'schedules to it', 'events', 'Redis cmds', 'cmds to violation', 'all decisions'], [
  ...buggy.map((v) => {
    const rows = found.get(v) ?? [];
    return ['interleave', v, `${rows.length}/${SEEDS.length}`, col(rows, (f) => f.ms, 1), col(rows, (f) => f.schedules),
      col(rows, (f) => f.events), col(rows, (f) => f.commands), col(rows, (f) => f.commandsToViolation), col(rows, (f) => f.decisions)];
  }),
  ['baseline (no shrinking)', 'naive-lock', `${baselineFound.length}/${SEEDS.length}`, col(baselineFound, (f) => f.ms, 1), col(baselineFound, (f) => f.schedules),
    '—', col(baselineFound, (f) => f.commands), col(baselineFound, (f) => f.commandsToViolation), col(baselineFound, (f) => f.decisions)],
]).join('\n'));
console.log(`   Redis cmds: one per Redis command — the commands in our timeline; the baseline's gate tasks. The comparable measure.
   all decisions: our replay-token actions (arrive, step, pause, wait = time passes to the next timer, crash) vs
   all the baseline's scheduled tasks (gates plus its single "time +6 s" task; its buyers need no arrival).
   Ours are minimised; the baseline's are fast-check's after shrinking, which for fc.scheduler() is nothing
   (its shrink() is empty), and its report runs until every buyer finished; "to violation" stops at the oversell.
   events: our timeline lines (violation.steps.length).
   ms to it: ours = the whole check() (search + minimisation + report); the baseline = fc.check to its first failure.`);
if (misses.size > 0) console.log(`   no counterexample within the run budget: ${[...misses].map(([k, seeds]) => `${k} seeds ${seeds.join(',')}`).join('; ')}`);
const ours1 = found.get('naive-lock')?.[0];
const base1 = baselineFound[0];
if (ours1) console.log(`   naive-lock, seed 1, interleave: ${ours1.schedule}`);
if (base1) console.log(`   naive-lock, seed 1, baseline:   ${base1.schedule}`);
console.log();

// ── 3. First counterexample of every buggy at-least-once variant, seeds 1..20, every property checked. ──
const atLeastOnceRows: string[][] = [];
const atLeastOnceMisses: string[] = [];
for (const scenario of scenarios.filter((s) => AT_LEAST_ONCE.includes(s.name))) {
  for (const v of scenario.variants.filter((variant) => variant.expected === 'violates')) {
    const { found: rows, misses: missed } = await firstCounterexamples(scenario.name, { variant: v.name }, SEEDS);
    if (missed.length > 0) atLeastOnceMisses.push(`${scenario.name}/${v.name} seeds ${missed.join(',')}`);
    const ms = rows.map((r) => r.ms);
    const properties = [...new Set(rows.map((r) => r.violation.property))].join(', ');
    atLeastOnceRows.push([scenario.name, v.name, `${rows.length}/${SEEDS.length}`, properties || '—',
      rows.length ? median(ms).toFixed(1) : '—', rows.length ? Math.max(...ms).toFixed(1) : '—',
      col(rows, (r) => r.result.stats.foundAt), col(rows, (r) => r.result.stats.schedules), col(rows, (r) => r.violation.decisions)]);
  }
}
console.log('3. First counterexample, at-least-once scenarios, over seeds 1..20 — check(scenario, { variant, seed }), all properties');
console.log(table(['scenario', 'variant', 'found', 'property', 'ms median', 'ms max', 'found at schedule', 'schedules run', 'decisions'], atLeastOnceRows).join('\n'));
console.log(`   ms: the whole check() (search, minimisation, report), one seed after another in this process; the max is
   often a variant's seed 1, run while its machines' transition caches are still cold.
   found at schedule: stats.foundAt, the schedule whose counterexample is reported. schedules run: stats.schedules —
   when the first property broken is not the variant's headline (its first), the search goes on for the headline
   up to schedule 500 at least, which is where most of those variants' time goes.
   decisions: violation.decisions, the minimised counterexample's scheduler decisions (an arrival with its first
   command is one). Those three are median (min–max). property: the properties reported.`);
if (atLeastOnceMisses.length > 0) console.log(`   no counterexample within the run budget: ${atLeastOnceMisses.join('; ')}`);
console.log();

// ── 4. Summary against the targets. ──
const of = (rows: readonly Found[], pick: (f: Found) => number) => median(rows.map(pick));
const ratio = median(rates.get('naive-lock')!) / median(rates.get('baseline')!);
// Rounds run back to back in pairs; the ratio within each pair is the least sensitive to drift in machine load.
const naivePairRatios = pairRatios('naive-lock', 'baseline');
const ours = found.get('naive-lock') ?? [];
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
console.log('4. Summary (inventory naive-lock, medians)');
console.log(`   throughput: interleave ${thousands(median(rates.get('naive-lock')!))} schedules/s ÷ baseline ${thousands(median(rates.get('baseline')!))} runs/s = ${ratio.toFixed(1)}×  (target ≥ 20×: ${verdict(ratio >= 20)})`);
console.log(`   per round pair: ${naivePairRatios.map((r) => `${r.toFixed(1)}×`).join(', ')}; median ${median(naivePairRatios).toFixed(1)}×  (target ≥ 20×: ${verdict(median(naivePairRatios) >= 20)})`);
// Load from elsewhere on the machine only ever slows a round down, so each side's best round is its least
// disturbed one (the convention of Python's timeit); shown beside the medians, not instead of them.
const best = (key: string) => Math.max(...rates.get(key)!);
const bestRatio = best('naive-lock') / best('baseline');
console.log(`   best rounds: interleave ${thousands(best('naive-lock'))} ÷ baseline ${thousands(best('baseline'))} = ${bestRatio.toFixed(1)}×  (target ≥ 20×: ${verdict(bestRatio >= 20)})`);
console.log(`   counterexample, Redis commands: interleave ${of(ours, (f) => f.commands)} vs baseline ${of(baselineFound, (f) => f.commands)} after shrinking (${of(baselineFound, (f) => f.commandsToViolation)} up to the oversell)  (target: ours no longer: ${verdict(of(ours, (f) => f.commands) <= of(baselineFound, (f) => f.commands))})`);
console.log(`   counterexample, all decisions:  interleave ${of(ours, (f) => f.decisions)} vs baseline ${of(baselineFound, (f) => f.decisions)}  (ours count arrivals and time as separate actions)`);
console.log(`   time to first counterexample: interleave ${of(ours, (f) => f.ms).toFixed(1)} ms (check(), with minimisation) vs baseline ${of(baselineFound, (f) => f.ms).toFixed(1)} ms`);

// ── 5. Exhaustive search, each case in a fresh process (its peak memory is its own). ──
const EXHAUSTIVE_CASES: readonly [scenario: string, variant: string, params: Record<string, number>, symmetry: boolean][] = [
  ['inventory', 'fenced', { buyers: 2 }, false],
  ['inventory', 'fenced', { buyers: 3 }, false],
  ['payment', 'idempotent', { workers: 2 }, false],
  ['payment', 'idempotent', { workers: 2 }, true],
  ['payment', 'idempotent', { workers: 3 }, false],
  ['payment', 'idempotent', { workers: 3 }, true],
];
const exhaustiveRows = EXHAUSTIVE_CASES.map(([scenario, variant, params, symmetry]) => {
  const args = ['--import', 'tsx', 'bench/exhaustive-round.ts', scenario, variant, JSON.stringify(params), symmetry ? 'symmetry' : 'plain'];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`exhaustive round failed: ${child.stderr}`);
  const r = JSON.parse(child.stdout) as { states: number; transitions: number; ms: number; tableBytes: number; exhausted: boolean; peakRssBytes: number };
  const setting = Object.entries(params).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `${scenario}/${variant}`, setting, symmetry ? 'yes' : 'no', thousands(r.states), thousands(r.transitions), `${(r.ms / 1000).toFixed(1)}`,
    thousands(r.states / (r.ms / 1000)), (r.tableBytes / r.states).toFixed(1), `${Math.round(r.peakRssBytes / 2 ** 20)}`, thousands(r.peakRssBytes / r.states),
  ];
});
console.log();
console.log('5. Exhaustive search of fixed variants (every reachable state, perfect clocks, default fault budget)');
console.log(table(['variant', 'setting', 'symmetry', 'states', 'transitions', 's', 'states/s', 'table B/state', 'peak RSS MB', 'RSS B/state'], exhaustiveRows).join('\n'));
console.log(`   table B/state: the visited-state table (64-bit fingerprints, open addressing) over the states it holds.
   RSS B/state: the whole process at its peak over the states — dominated by the breadth-first frontier, which
   holds whole simulations, not fingerprints.`);

// ── 6. Against SPIN, on the same model (skipped, with one line, where spin or gcc is missing). ──
console.log();
compareWithSpin();

// ── 7. Exhaustive search on worker threads: 1 against 2. ──
console.log();
compareThreads();

// ── 8. The runner on real services against plain client code. ──
console.log();
await compareRunnerThroughput();
