/** `interleave threshold`: the least value of one bound at which a variant breaks, with its counterexample. */
import { threshold, type ThresholdBound, type ThresholdResult } from '../api/threshold.ts';
import { findScenario } from '../api/check.ts';
import { UsageError } from '../check/prepare.ts';
import { counterexampleLines } from '../report/text.ts';
import { intOption, type ParsedArgs } from './args.ts';
import { checkOptions } from './check-command.ts';

/** The text of a threshold result: one line per probe in value order, the verdict, the counterexample. */
export function thresholdLines(r: ThresholdResult): string[] {
  const probes = [...r.probes].sort((a, b) => a.value - b.value).map((p) =>
    `  --${r.bound} ${String(p.value).padStart(6)}  ${p.result === 'violation' ? `✗ ${p.property}` : `✓ none${p.exhausted ? '' : ' (within the search bounds)'}`}  (${p.states} states)`);
  const verdict = {
    found: `The least failing --${r.bound} is ${r.threshold}: it holds at ${r.threshold! - 1}, every state visited. A shortest counterexample at ${r.threshold}:`,
    holds: `No failure up to --${r.bound} ${r.to}: every state visited.`,
    'fails-at-from': `It fails already at --${r.bound} ${r.from}:`,
    inconclusive: 'Inconclusive: a holding probe stopped at a search bound (raise --max-states, --max-depth or --max-time).',
  }[r.outcome];
  const counterexample = r.outcome === 'found' || r.outcome === 'fails-at-from' ? counterexampleLines(r.check.violation!) : [];
  return [`${r.scenario} / ${r.variant}: threshold of --${r.bound}, by bisection over exhaustive searches`, ...probes, '', verdict, ...counterexample];
}

/** Runs `threshold`; returns the exit code: 1 when some value in range fails. */
export function thresholdCommand(args: ParsedArgs, out: (line: string) => void): number {
  const [name, ...extra] = args.positionals;
  if (name === undefined) throw new UsageError('threshold needs a SCENARIO and --bound (max-skew, max-drift, max-jump or max-pause)');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const bound = args.values.bound;
  if (typeof bound !== 'string') throw new UsageError('threshold needs --bound (max-skew, max-drift, max-jump or max-pause)');
  const { mode, ...options } = checkOptions(args);
  if (mode !== undefined) throw new UsageError('threshold always searches exhaustively: drop --mode');
  const result = threshold(findScenario(name), {
    ...options, variant: args.values.variant as string | undefined, bound: bound as ThresholdBound, from: intOption(args, 'from'), to: intOption(args, 'to'),
  });
  if (args.values.json) out(JSON.stringify(result, null, 2));
  else thresholdLines(result).forEach((line) => out(line));
  return result.outcome === 'found' || result.outcome === 'fails-at-from' ? 1 : 0;
}
