/**
 * Loads a student's TypeScript file with a dynamic `import()`: the `interleave` command runs under tsx, which
 * compiles it on the way in, and a test runner that compiles TypeScript does the same. The file imports what it
 * needs from `interleave` (its copy of the starter does), which resolves to this package from any file inside
 * it. Node keeps a module once loaded, so a file is read once per process: a second grade of the same path in
 * one process sees the first version.
 */
import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../check/prepare.ts';

/**
 * The exports of the module at `file` (a path, relative to the working directory or absolute). Throws a
 * `UsageError` when there is no such file or it does not load (a syntax error, an import that does not resolve,
 * an exception at top level).
 * @example const { lock } = await loadSubmission('my-release.ts')
 */
export async function loadSubmission(file: string): Promise<Readonly<Record<string, unknown>>> {
  const path = resolve(file);
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`no such file: ${file}`);
  try {
    return { ...(await import(pathToFileURL(path).href) as Record<string, unknown>) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Its `import … from 'interleave'` resolves only from inside a project that has it (this one, or one that installed it).
    const outside = relative(process.cwd(), path).startsWith('..') ? ' (it is outside this project, so its imports may not resolve: copy it inside)' : '';
    throw new UsageError(`cannot load ${file}${outside}: ${message.split('\n').find((line) => line.trim() !== '') ?? 'it throws'}`);
  }
}
