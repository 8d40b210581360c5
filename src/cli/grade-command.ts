/** `interleave grade EXERCISE FILE` grades a student's file; `interleave exercises` lists what can be graded. */
import { UsageError } from '../check/prepare.ts';
import { exercises } from '../grade/exercises/index.ts';
import { grade } from '../grade/grade.ts';
import { readPage } from '../grade/page.ts';
import { gradeLines } from '../grade/text.ts';
import { intOption, type ParsedArgs } from './args.ts';

/** Runs `grade`; resolves to the exit code: 0 pass, 1 fail. */
export async function gradeCommand(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const [name, file, ...extra] = args.positionals;
  if (name === undefined || file === undefined) throw new UsageError('grade needs an EXERCISE and a FILE (see: interleave exercises)');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const result = await grade(name, file, { hint: intOption(args, 'hint') });
  if (args.values.json) out(JSON.stringify(result, null, 2));
  else gradeLines(result).forEach((line) => out(line));
  return result.passed ? 0 : 1;
}

/** Runs `exercises`: one line per exercise, its task and the export its file must provide. */
export function exercisesCommand(args: ParsedArgs, out: (line: string) => void): number {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
  const rows = exercises.map((e) => ({ name: e.name, title: readPage(e.name).title, declaration: e.declaration, starter: `docs/exercises/${e.name}/starter.ts` }));
  if (args.values.json) {
    out(JSON.stringify(rows, null, 2));
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) out(`${r.name.padEnd(width)}  ${r.title}\n${' '.repeat(width + 2)}${r.declaration}`);
  out('');
  out('Copy a starter (docs/exercises/NAME/starter.ts) into the project, edit it, then: interleave grade NAME FILE');
  return 0;
}
