/**
 * The command line, parsed with Node's own `util.parseArgs`: which command, which scenario, and typed options.
 * Anything malformed is a `UsageError` (one line, exit code 2).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../check/prepare.ts';
import { scenarios } from '../../models/index.ts';

/** Scenario parameters that can be given on the command line: every built-in scenario's, by name. */
export const PARAM_OPTIONS: readonly string[] = [...new Set(scenarios.flatMap((s) => Object.keys(s.params)))];

/** Options `check` accepts, as parsed. */
export interface ParsedArgs {
  /** `list`, `check`, `replay` or `help`. */
  readonly command: string;
  /** Positional words after the command. */
  readonly positionals: readonly string[];
  /** Raw option values by long name. */
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
}

const OPTIONS = {
  variant: { type: 'string', short: 'v' },
  all: { type: 'boolean' },
  runs: { type: 'string' },
  seed: { type: 'string' },
  ...Object.fromEntries(PARAM_OPTIONS.map((name) => [name, { type: 'string' }] as const)),
  'max-skew': { type: 'string' },
  'max-drift': { type: 'string' },
  'max-pause': { type: 'string' },
  pauses: { type: 'string' },
  'worker-pauses': { type: 'string' },
  crashes: { type: 'string' },
  losses: { type: 'string' },
  closes: { type: 'string' },
  jumps: { type: 'string' },
  'max-jump': { type: 'string' },
  tick: { type: 'string' },
  horizon: { type: 'string' },
  mode: { type: 'string' },
  bound: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  depth: { type: 'string' },
  'max-depth': { type: 'string' },
  'max-states': { type: 'string' },
  'max-time': { type: 'string' },
  'max-memory': { type: 'string' },
  symmetry: { type: 'boolean' },
  order: { type: 'string' },
  threads: { type: 'string' },
  shard: { type: 'string' },
  property: { type: 'string' },
  clock: { type: 'string', multiple: true },
  svg: { type: 'string' },
  html: { type: 'string' },
  mermaid: { type: 'string' },
  hint: { type: 'string' },
  backend: { type: 'string' },
  isolation: { type: 'string' },
  redis: { type: 'string' },
  amqp: { type: 'string' },
  iterations: { type: 'string' },
  parallel: { type: 'string' },
  'time-scale': { type: 'string' },
  pause: { type: 'string' },
  kills: { type: 'string' },
  'publish-kills': { type: 'string' },
  disconnects: { type: 'string' },
  'redis-stalls': { type: 'string' },
  stall: { type: 'string' },
  arrivals: { type: 'string' },
  port: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses `argv` (without `node` and the script). */
export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    const [command = 'help', ...rest] = positionals;
    return { command: values.help ? 'help' : command, positionals: rest, values };
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
}

/** An integer option, or `undefined` when absent. */
export function intOption(args: ParsedArgs, name: string): number | undefined {
  const raw = args.values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) throw new UsageError(`--${name} needs an integer, got '${String(raw)}'`);
  return Number(raw);
}
