/** `interleave check`: one variant with its counterexample, or `--all` variants as a summary table. */
import { check, findScenario, type CheckOptions, type CheckResult } from '../api/check.ts';
import { scenarios } from '../../models/index.ts';
import { checkResultLines, headerLine } from '../report/text.ts';
import { renderTable } from '../report/table.ts';
import { UsageError } from '../check/prepare.ts';
import { intOption, PARAM_OPTIONS, type ParsedArgs } from './args.ts';
import { progressLine } from './progress.ts';
import { parseClockOptions } from './clock-option.ts';
import { diagramNotes, diagramTargets, writeDiagrams } from './diagram-option.ts';
import { shardCommand } from './merge-command.ts';

/** The options of `check` common to one variant and `--all` (and `threshold`). */
export function checkOptions(args: ParsedArgs): CheckOptions {
  const params = Object.fromEntries(PARAM_OPTIONS.map((name) => [name, intOption(args, name)]));
  return {
    seed: intOption(args, 'seed'), runs: intOption(args, 'runs'),
    maxSkewMs: intOption(args, 'max-skew'), maxDriftPpm: intOption(args, 'max-drift'), maxPauseMs: intOption(args, 'max-pause'),
    pauses: intOption(args, 'pauses'), crashes: intOption(args, 'crashes'), losses: intOption(args, 'losses'), closes: intOption(args, 'closes'), jumps: intOption(args, 'jumps'), maxJumpMs: intOption(args, 'max-jump'),
    tickMs: intOption(args, 'tick'), horizonMs: intOption(args, 'horizon'),
    mode: args.values.mode as CheckOptions['mode'], depth: intOption(args, 'depth'),
    maxDepth: intOption(args, 'max-depth'), maxStates: intOption(args, 'max-states'), maxTimeMs: intOption(args, 'max-time'), maxMemoryMb: intOption(args, 'max-memory'),
    symmetry: args.values.symmetry === true,
    order: args.values.order as CheckOptions['order'],
    threads: intOption(args, 'threads'),
    property: args.values.property as string | undefined,
    clocks: parseClockOptions((args.values.clock as string[] | undefined) ?? []),
    params,
  };
}

/** What progress counts toward: the schedules asked for, or nothing known for an exhaustive search (it counts states). */
function progressTotal(options: CheckOptions): number | null {
  return options.mode === 'exhaustive' ? null : options.runs ?? 10_000;
}

/** Runs `check`; returns the exit code. */
export function checkCommand(args: ParsedArgs, out: (line: string) => void): number {
  const options = checkOptions(args);
  const [name, ...extra] = args.positionals;
  const diagrams = diagramTargets(args);
  if ((args.values.all || name === undefined) && diagrams.length > 0) throw new UsageError('--svg, --html and --mermaid draw one counterexample: name a SCENARIO, not --all');
  if (args.values.all || name === undefined) return checkAll(args, options, out);
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const scenario = findScenario(name);
  const variant = (args.values.variant as string | undefined) ?? scenario.variants[0].name;
  if (args.values.shard !== undefined) return shardCommand(scenario, { ...options, variant }, args, out);
  const progress = progressLine(`${name} / ${variant}`, progressTotal(options));
  const result = check(scenario, { ...options, variant, onProgress: progress.update });
  progress.clear();
  if (args.values.json) out(JSON.stringify(result, null, 2));
  else checkResultLines(result).forEach((line) => out(line));
  writeDiagrams(diagrams, result.violation, headerLine(result), diagramNotes(args, out));
  return result.violation ? 1 : 0;
}

/** Every variant of every scenario (parameters a scenario lacks are not passed to it). */
function checkAll(args: ParsedArgs, options: CheckOptions, out: (line: string) => void): number {
  if (args.positionals.length > 0 || args.values.variant !== undefined || args.values.shard !== undefined) throw new UsageError('--all takes no SCENARIO, no --variant and no --shard');
  const results: { result: CheckResult; expected: string }[] = [];
  for (const scenario of scenarios) {
    const params = Object.fromEntries(Object.entries(options.params ?? {}).filter(([k]) => k in scenario.params));
    for (const variant of scenario.variants) {
      const progress = progressLine(`${scenario.name} / ${variant.name}`, progressTotal(options));
      const result = check(scenario, { ...options, params, variant: variant.name, onProgress: progress.update });
      progress.clear();
      results.push({ result, expected: variant.expected });
    }
  }
  const asExpected = (r: { result: CheckResult; expected: string }) => (r.result.result === 'violation') === (r.expected === 'violates');
  if (args.values.json) {
    out(JSON.stringify(results.map(({ result, expected }) => ({ ...result, expected })), null, 2));
  } else {
    const rows = results.map((r) => [
      r.result.scenario, r.result.variant, r.expected,
      r.result.result === 'violation' ? '✗ violation' : '✓ none',
      r.result.violation?.property ?? '—',
      r.result.violation ? String(r.result.violation.steps.length) : '—',
      `${r.result.stats.elapsedMs} ms`,
      asExpected(r) ? '' : '← unexpected',
    ]);
    renderTable(['scenario', 'variant', 'expected', 'result', 'property', 'steps', 'time', ''], rows).forEach((line) => out(line));
    const surprises = results.filter((r) => !asExpected(r)).length;
    out('');
    out(surprises === 0
      ? `Every buggy variant shows its bug and every fix holds (${results.length} variants, ${options.runs ?? 10_000} schedules at most each).`
      : `${surprises} variant(s) did not behave as expected.`);
    out('See one counterexample: interleave check inventory --variant naive-lock');
  }
  return results.every(asExpected) ? 0 : 1;
}
