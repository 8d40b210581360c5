/**
 * The `interleave` command: parses the command line, dispatches, and turns failures into exit codes —
 * 0 no violation, 1 violation, 2 bad input or a model error (one line on stderr, never a stack trace).
 */
import { scenarios } from '../../models/index.ts';
import { replay } from '../api/replay.ts';
import { UsageError } from '../check/prepare.ts';
import { ModelError } from '../sim/machine-stepper.ts';
import { headerLine, replayLines } from '../report/text.ts';
import { parseCommandLine, type ParsedArgs } from './args.ts';
import { checkCommand } from './check-command.ts';
import { mergeCommand } from './merge-command.ts';
import { diagramNotes, diagramTargets, writeDiagrams } from './diagram-option.ts';
import { thresholdCommand } from './threshold-command.ts';
import { exercisesCommand, gradeCommand } from './grade-command.ts';
import { runCommand } from './run-command.ts';
import { playCommand } from './play-command.ts';
import { HELP } from './help.ts';

function listCommand(args: ParsedArgs, out: (line: string) => void): number {
  if (args.values.json) {
    out(JSON.stringify(scenarios.map((s) => ({
      name: s.name, summary: s.summary, source: s.source, params: s.params,
      variants: s.variants.map((v) => ({ name: v.name, summary: v.summary, expected: v.expected })),
    })), null, 2));
    return 0;
  }
  for (const s of scenarios) {
    out(`${s.name} — ${s.summary}`);
    const width = Math.max(...s.variants.map((v) => v.name.length));
    for (const v of s.variants) out(`  ${v.name.padEnd(width)}  ${v.expected === 'violates' ? 'buggy' : 'fixed'}  ${v.summary}`);
  }
  return 0;
}

function replayCommand(args: ParsedArgs, out: (line: string) => void): number {
  const [token, ...extra] = args.positionals;
  if (token === undefined) throw new UsageError('replay needs a TOKEN (printed by check after "replay:")');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const diagrams = diagramTargets(args);
  const result = replay(token);
  if (args.values.json) out(JSON.stringify(result, null, 2));
  else replayLines(result).forEach((line) => out(line));
  writeDiagrams(diagrams, result.violation, headerLine(result), diagramNotes(args, out));
  return 1;
}

/** Reports a failure on stderr in one line; returns exit code 2. */
function failed(error: unknown): number {
  const known = error instanceof UsageError || error instanceof ModelError;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  process.stderr.write(`interleave: ${known ? '' : 'internal error: '}${message}\n`);
  if (!known && process.env.INTERLEAVE_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  return 2;
}

/**
 * Runs the command line `argv`; returns the exit code, or a promise of it for a command that must wait (`grade`
 * loads the student's file with a dynamic import).
 */
export function main(argv: readonly string[], out: (line: string) => void = console.log): number | Promise<number> {
  try {
    const args = parseCommandLine(argv);
    switch (args.command) {
      case 'help': out(HELP.trimEnd()); return 0;
      case 'list': return listCommand(args, out);
      case 'check': return checkCommand(args, out);
      case 'replay': return replayCommand(args, out);
      case 'merge': return mergeCommand(args, out);
      case 'threshold': return thresholdCommand(args, out);
      case 'grade': return gradeCommand(args, out).catch(failed);
      case 'exercises': return exercisesCommand(args, out);
      case 'run': return runCommand(args, out).catch(failed);
      case 'play': return playCommand(args, out).catch(failed);
      default: throw new UsageError(`unknown command '${args.command}' (commands: list, check, merge, replay, threshold, run, play, grade, exercises; see --help)`);
    }
  } catch (error) {
    return failed(error);
  }
}
