/** `interleave run`: a variant's own machines on real (or embedded) Redis and RabbitMQ, judged by its properties. */
import { findScenario } from '../api/check.ts';
import { UsageError } from '../check/prepare.ts';
import { run, type Backend, type Isolation } from '../run/run.ts';
import { runResultLines } from '../run/run-text.ts';
import type { FaultOptions } from '../run/fault-plan.ts';
import { intOption, PARAM_OPTIONS, type ParsedArgs } from './args.ts';
import { progressLine } from './progress.ts';
import { diagramNotes, diagramTargets, writeDiagrams } from './diagram-option.ts';

/** Options of `check` that mean nothing to `run`: refused rather than silently ignored. */
const CHECK_ONLY = ['all', 'runs', 'mode', 'depth', 'max-depth', 'max-states', 'symmetry', 'max-skew', 'max-drift', 'max-pause', 'crashes', 'losses', 'jumps', 'max-jump', 'tick', 'horizon', 'clock', 'property'];

/** Each count and length of {@link FaultOptions}, by its option. */
const FAULT_OPTIONS: Readonly<Record<keyof FaultOptions, string>> = {
  pauses: 'pauses', deliveryPauses: 'worker-pauses', pauseMs: 'pause', kills: 'kills', closes: 'closes', publishKills: 'publish-kills',
  arrivalsMs: 'arrivals', disconnects: 'disconnects', stalls: 'redis-stalls', stallMs: 'stall',
};

/** A fault option: a count or a length, never below 0; `undefined` when absent. */
function nonNegativeOption(args: ParsedArgs, name: string): number | undefined {
  const value = intOption(args, name);
  if (value !== undefined && value < 0) throw new UsageError(`--${name} must be a non-negative integer, got ${value}`);
  return value;
}

/** Runs `run`; resolves to the exit code: 1 when some iteration broke a property. */
export async function runCommand(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const [name, ...extra] = args.positionals;
  if (name === undefined) throw new UsageError('run needs a SCENARIO (see interleave list)');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const misplaced = CHECK_ONLY.find((option) => args.values[option] !== undefined);
  if (misplaced !== undefined) throw new UsageError(`--${misplaced} is an option of check, not of run`);
  const backend = (args.values.backend as string | undefined) ?? 'embedded';
  if (backend !== 'embedded' && backend !== 'real') throw new UsageError(`--backend must be embedded or real, got '${backend}'`);
  const scenario = findScenario(name);
  const diagrams = diagramTargets(args);
  const iterations = intOption(args, 'iterations') ?? 1;
  const progress = progressLine(`${name} / ${(args.values.variant as string | undefined) ?? scenario.variants[0].name}`, iterations);
  const result = await run(scenario, {
    variant: args.values.variant as string | undefined,
    params: Object.fromEntries(PARAM_OPTIONS.map((param) => [param, intOption(args, param)])),
    seed: intOption(args, 'seed'),
    backend: backend as Backend,
    // run() checks it, before it touches a server.
    isolation: args.values.isolation as Isolation | undefined,
    redisUrl: args.values.redis as string | undefined,
    amqpUrl: args.values.amqp as string | undefined,
    iterations,
    parallel: intOption(args, 'parallel'),
    timeScale: intOption(args, 'time-scale'),
    maxTimeMs: intOption(args, 'max-time'),
    faults: Object.fromEntries(Object.entries(FAULT_OPTIONS).map(([field, option]) => [field, nonNegativeOption(args, option)])),
    onIteration: (i) => progress.update(i),
  }).finally(() => progress.clear());
  if (args.values.json) out(JSON.stringify(result, null, 2));
  else runResultLines(result).forEach((line) => out(line));
  // A real run has no replay token: what happened was the servers', not a schedule the checker chose.
  const drawn = result.violation && { ...result.violation, replay: null };
  writeDiagrams(diagrams, drawn, runResultLines(result)[0], diagramNotes(args, out));
  return result.violation ? 1 : 0;
}
