/**
 * Shards on the command line: `interleave check SCENARIO --shard I/N` does shard I of N of the check and prints
 * its result as JSON (redirect it to a file); `interleave merge FILE…` merges every shard's file into the report
 * that one `interleave check` would print — the same counts, the same counterexample, the same exit code.
 */
import { readFileSync } from 'node:fs';
import type { Scenario } from '../scenario.ts';
import { checkShard, mergeShards, type ShardOptions, type ShardResult } from '../api/shard.ts';
import { UsageError } from '../check/prepare.ts';
import { checkResultLines } from '../report/text.ts';
import type { ParsedArgs } from './args.ts';

/** Runs shard `--shard I/N` of the check of `scenario` and prints its result; returns the exit code (0). */
export function shardCommand(scenario: Scenario, options: ShardOptions & { readonly threads?: number }, args: ParsedArgs, out: (line: string) => void): number {
  const spec = String(args.values.shard);
  const match = /^(\d+)\/(\d+)$/.exec(spec);
  if (!match) throw new UsageError(`--shard needs I/N (shard I of N, from 1), e.g. 2/4, got '${spec}'`);
  if (options.threads !== undefined) throw new UsageError('--shard and --threads do not go together: each shard runs on one thread');
  out(JSON.stringify(checkShard(scenario, options, { index: Number(match[1]), count: Number(match[2]) })));
  return 0;
}

/** `interleave merge FILE…`: merges shard results and prints the check's report; returns its exit code. */
export function mergeCommand(args: ParsedArgs, out: (line: string) => void): number {
  if (args.positionals.length === 0) throw new UsageError('merge needs the files of every shard (made by interleave check … --shard I/N > FILE)');
  const result = mergeShards(args.positionals.map(readShard));
  if (args.values.json) out(JSON.stringify(result, null, 2));
  else checkResultLines(result).forEach((line) => out(line));
  return result.violation ? 1 : 0;
}

/** The shard result in `file`. */
function readShard(file: string): ShardResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read '${file}'`);
  }
  try {
    return JSON.parse(text) as ShardResult;
  } catch {
    throw new UsageError(`'${file}' is not a shard result (not JSON)`);
  }
}
