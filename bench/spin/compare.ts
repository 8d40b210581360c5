/**
 * interleave against SPIN on the same model: inventory/fenced in tick form (`setting.ts`), N buyers for N = 3, 4,
 * 5. SPIN verifies `inventory-fenced.pml` (compiled with gcc -O2, exhaustive, one core); interleave runs
 * `check(…, { mode: 'exhaustive', order: 'depth', tickMs, horizonMs })` — depth-first, as SPIN searches — in a
 * fresh process per N, under a time budget, and breadth-first (its default order) beside it up to N = 4. Prints
 * states, states/s and memory of both, the ratio of the rates, the verdicts, and a sanity check that SPIN does
 * find the oversell of the model's buggy switch. Part of `npm run bench` (section 6); alone:
 * `node --import tsx bench/spin/compare.ts`. Writes only SPIN's temporary build directory, and removes it.
 *
 * Why the state counts agree: both sides store one state per combination of true time, each buyer's step and
 * context (attempt, fencing token, stock read, time left to sleep) and the live Redis keys (with time left to
 * live). interleave's state is a 64-bit fingerprint of its parts (snapshots, keys), SPIN's a vector of program
 * counters and integers; the Promela model keeps its vector canonical (absent keys 0, expired locks and ended
 * sleeps cleared, no dead-variable resets since every buyer step is one d_step in one loop), so the two count
 * the same states whenever they model the same protocol. SPIN's transitions exceed ours by one for its root and
 * one for each final state, where its deadlock check (`timeout`) takes a step that changes nothing. The counts
 * differ only when interleave's time budget stops it first.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { table, thousands } from '../measure.ts';
import type { SearchOrder } from '../../src/check/exhaustive.ts';
import { SPIN_SETTING } from './setting.ts';
import { runPan, spinVersion, type PanReport } from './spin.ts';

const BUYERS = [3, 4, 5];
/** Breadth-first search, for comparison, only up to this N: beyond, it does not finish in the time budget. */
const BREADTH_UP_TO = 4;
/**
 * interleave's time budget per N: the issue's target for N = 5 is under 30 s; this leaves room for depth-first
 * search to finish N = 5 on one core (about two minutes here), so that its whole time and peak memory show.
 */
const MAX_TIME_MS = 180_000;
const MODEL = fileURLToPath(new URL('inventory-fenced.pml', import.meta.url));
/** The model's macros for the setting. */
const MODEL_MACROS = { TICK: SPIN_SETTING.tickMs, HORIZON: SPIN_SETTING.horizonMs, TTL: SPIN_SETTING.ttlMs, STOCK: SPIN_SETTING.stock };
/**
 * Safety properties only; no partial-order reduction, since interleave has none — and it would reduce nothing
 * here anyway: every step reads or writes shared variables (the clock, Redis), so SPIN finds no independent
 * steps to skip (measured: the same count with and without it). MEMLIM (MB) makes pan stop cleanly before the
 * machine runs out of memory. States are stored exactly (SPIN's default; its hash compaction, -DHC4, lost 1.6% of
 * the N = 5 states).
 */
const PAN_FLAGS = ['SAFETY', 'NOREDUCE', 'MEMLIM=8192'];

/** interleave's search, as `interleave-round.ts` reports it. */
interface InterleaveRound {
  readonly states: number;
  readonly transitions: number;
  readonly ms: number;
  readonly tableBytes: number;
  readonly exhausted: boolean;
  readonly bound: string | null;
  readonly result: 'none' | 'violation';
  readonly property: string | null;
  readonly peakRssBytes: number;
}

/** Runs interleave's search for `buyers` in a fresh process; a crash (out of memory, say) comes back as its last line. */
function interleaveRound(buyers: number, order: SearchOrder): InterleaveRound | Failed {
  const args = ['--import', 'tsx', fileURLToPath(new URL('interleave-round.ts', import.meta.url)), JSON.stringify({ ...SPIN_SETTING, buyers, maxTimeMs: MAX_TIME_MS, order })];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (child.status !== 0) return { failed: lastLine(child.stderr || `exit ${child.status ?? child.signal}`) };
  return JSON.parse(child.stdout) as InterleaveRound;
}

/** SPIN on the model for `macros`; a failure (pan out of memory, say) comes back as its first line. */
function spinRound(macros: Readonly<Record<string, number | true>>): PanReport | Failed {
  try {
    return runPan(MODEL, { model: macros, pan: PAN_FLAGS });
  } catch (error) {
    return { failed: String((error as Error).message).split('\n')[0] };
  }
}

/** A side that did not finish its run. */
interface Failed {
  readonly failed: string;
}
const failed = (x: object): x is Failed => 'failed' in x;
const lastLine = (text: string) => text.trim().split('\n').at(-1)!;
const rate = (states: number, seconds: number) => states / Math.max(seconds, 1e-3);
/** pan's own search time, unless it rounded a tiny run down to 0. */
const panSeconds = (r: PanReport) => (r.seconds > 0 ? r.seconds : r.wallSeconds);
const spinRate = (r: PanReport) => rate(r.states, panSeconds(r));
const ourRate = (r: InterleaveRound) => rate(r.states, r.ms / 1000);
const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)}`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** SPIN's cells of a row. */
function spinCells(r: PanReport | Failed): string[] {
  if (failed(r)) return ['—', '—', '—', '—', '—', `failed: ${r.failed}`];
  return [thousands(r.states), panSeconds(r).toFixed(2), thousands(spinRate(r)), ((r.stateMemoryMb * 2 ** 20) / r.states).toFixed(0), r.memoryMb.toFixed(0),
    r.errors === 0 ? 'holds' : `VIOLATION ${r.violation ?? ''}`];
}

/** interleave's cells of a row. */
function ourCells(r: InterleaveRound | Failed): string[] {
  if (failed(r)) return ['—', '—', '—', '—', '—', '—', `failed: ${r.failed}`];
  const outcome = r.result === 'violation' ? `VIOLATION ${r.property}` : r.exhausted ? 'holds' : `none within ${r.bound === 'stopped' ? `${MAX_TIME_MS / 1000} s` : r.bound}`;
  return [`${thousands(r.states)}${r.exhausted ? '' : '+'}`, (r.ms / 1000).toFixed(1), thousands(ourRate(r)),
    (r.tableBytes / r.states).toFixed(1), thousands(r.peakRssBytes / r.states), mb(r.peakRssBytes), outcome];
}

/**
 * Runs the comparison and prints it (one line saying so, and nothing else, when SPIN or gcc is missing).
 * @example compareWithSpin()
 */
export function compareWithSpin(): void {
  const { tickMs, horizonMs, ttlMs, stock } = SPIN_SETTING;
  console.log(`6. Against SPIN — inventory/fenced in tick form: N buyers, stock ${stock}, ticks of ${tickMs} ms up to ${horizonMs} ms, TTL ${ttlMs} ms, each Redis command one step`);
  const version = spinVersion();
  if (version === null) {
    console.log('   skipped: spin or gcc is not installed (Debian: apt-get install spin gcc)');
    return;
  }
  const rounds = BUYERS.map((buyers) => {
    // One side after the other for each N, so that drift in machine load hits both.
    const spin = spinRound({ ...MODEL_MACROS, N: buyers });
    return { buyers, spin, ours: interleaveRound(buyers, 'depth'), breadth: buyers <= BREADTH_UP_TO ? interleaveRound(buyers, 'breadth') : null };
  });
  const results = rounds.map(({ buyers, spin, ours }) => ({ buyers, spin, ours }));
  const ratio = ({ spin, ours }: { spin: PanReport | Failed; ours: InterleaveRound | Failed }) => (failed(spin) || failed(ours) ? null : ourRate(ours) / spinRate(spin));
  const ratioCell = (r: Parameters<typeof ratio>[0]) => (ratio(r) === null ? '—' : `${ratio(r)!.toFixed(3)}×`);
  console.log(table(['N', 'SPIN states', 's', 'states/s', 'B/state', 'MB', 'verdict',
    'interleave order', 'states', 's', 'states/s', 'table B/state', 'RSS B/state', 'peak RSS MB', 'verdict', 'rate ratio'],
  rounds.flatMap((r) => [
    [String(r.buyers), ...spinCells(r.spin), 'depth', ...ourCells(r.ours), ratioCell(r)],
    ...(r.breadth === null ? [] : [['', '', '', '', '', '', '', 'breadth', ...ourCells(r.breadth), ratioCell({ spin: r.spin, ours: r.breadth })]]),
  ])).join('\n'));
  const buggy = spinRound({ ...MODEL_MACROS, N: 2, UNFENCED_WRITE: true });
  const buggyFound = !failed(buggy) && buggy.errors > 0;
  console.log(`   ${version}; spin -a, gcc -O2 ${PAN_FLAGS.map((f) => `-D${f}`).join(' ')}, ./pan (exhaustive, exact state storage, one core).
   SPIN: s = pan's search time; B/state = pan's memory for stored states ÷ states; MB = pan's total (states, hash table, stack).
   interleave: depth-first as SPIN (--order depth), and breadth-first (its default) up to N = ${BREADTH_UP_TO}; fresh process per run, one thread, time budget ${MAX_TIME_MS / 1000} s ("+": stopped by it, states so far; its rate is then that of
   the first, shallower levels); table B/state = the visited-state table (64-bit fingerprints) ÷ states; RSS B/state = the
   process's peak resident set ÷ states.
   The state counts are equal when both searches finish: the same protocol step for step (see bench/spin/compare.ts).
   Sanity: SPIN on the buggy switch (-DUNFENCED_WRITE: the write is a plain SET without the token), N = 2: ${buggyFound ? `found ${buggy.violation ?? 'an error'}` : 'FOUND NOTHING'}.`);
  const done = results.filter((r): r is { buyers: number; spin: PanReport; ours: InterleaveRound } => !failed(r.spin) && !failed(r.ours));
  const five = done.find((r) => r.buyers === 5)?.ours;
  const fiveMet = five !== undefined && five.exhausted && five.ms < 30_000 && five.peakRssBytes <= 2 ** 30;
  console.log(`   targets (depth-first): ≥ 0.5× SPIN's states/s: ${done.map((r) => `N=${r.buyers} ${ratio(r)!.toFixed(3)}×`).join(', ')} (${verdict(done.length === results.length && done.every((r) => ratio(r)! >= 0.5))});`
    + ` ≤ 32 B per stored state: table ${verdict(done.every((r) => r.ours.tableBytes / r.ours.states <= 32))}, whole process ${done.map((r) => `N=${r.buyers} ${(r.ours.peakRssBytes / r.ours.states).toFixed(0)} B`).join(', ')} (${verdict(done.every((r) => r.ours.peakRssBytes / r.ours.states <= 32))});`
    + ` N=5 exhausted in < 30 s within 1 GB: ${five === undefined ? 'no run' : five.exhausted ? `${(five.ms / 1000).toFixed(1)} s, ${mb(five.peakRssBytes)} MB` : `not exhausted in ${MAX_TIME_MS / 1000} s`} (${verdict(fiveMet)}).`);
  const disagree = done.filter((r) => r.spin.errors > 0 || r.ours.result === 'violation' || (r.ours.exhausted && r.ours.states !== r.spin.states));
  if (disagree.length > 0) console.log(`   DISAGREEMENT at N = ${disagree.map((r) => r.buyers).join(', ')}: the two models are not the same (verdicts or state counts differ)`);
  if (!buggyFound) console.log('   SPIN found no oversell in the buggy switch: the Promela model no longer checks what it should');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) compareWithSpin();
