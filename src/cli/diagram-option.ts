/**
 * `--svg FILE`, `--html FILE` and `--mermaid FILE` (on `check` and `replay`): draw the counterexample into FILE.
 * The paths are checked before the search runs, so a mistyped directory costs no waiting; a file is written
 * only when there is a counterexample, and each one written is named in one line (`diagram: FILE`).
 */
import { statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../check/prepare.ts';
import { diagramModel, type DiagramSource } from '../report/diagram-model.ts';
import { renderHtml } from '../report/html.ts';
import { renderMermaid } from '../report/mermaid.ts';
import { renderSvg } from '../report/svg.ts';
import type { ParsedArgs } from './args.ts';

/** The formats, by option name. */
const FORMATS = ['svg', 'html', 'mermaid'] as const;

/** One diagram to write. */
export interface DiagramTarget {
  /** `svg`, `html` or `mermaid`. */
  readonly format: (typeof FORMATS)[number];
  /** Where, as given on the command line. */
  readonly path: string;
}

const statOf = (path: string): Stats | undefined => statSync(path, { throwIfNoEntry: false });

/** The diagrams the command line asks for, each path checked: a file in an existing directory. */
export function diagramTargets(args: ParsedArgs): DiagramTarget[] {
  return FORMATS.flatMap((format) => {
    const path = args.values[format];
    if (path === undefined) return [];
    if (typeof path !== 'string' || path === '') throw new UsageError(`--${format} needs a FILE`);
    if (statOf(path)?.isDirectory()) throw new UsageError(`--${format} ${path}: is a directory, not a file`);
    if (!statOf(dirname(resolve(path)))?.isDirectory()) throw new UsageError(`--${format} ${path}: no directory ${dirname(path)}`);
    return [{ format, path }];
  });
}

/**
 * Where to say what was written: standard output, or standard error under `--json` (whose standard output must
 * stay one JSON document).
 */
export function diagramNotes(args: ParsedArgs, out: (line: string) => void): (line: string) => void {
  return args.values.json ? (line) => process.stderr.write(`${line}\n`) : out;
}

/** Writes each target from the counterexample in `source` (titled `header`), or says there is none to draw. */
export function writeDiagrams(targets: readonly DiagramTarget[], source: DiagramSource | null, header: string, note: (line: string) => void): void {
  if (targets.length === 0) return;
  if (source === null || source.steps.length === 0) {
    note('no counterexample: no diagram written');
    return;
  }
  const diagram = diagramModel(source);
  for (const { format, path } of targets) {
    const text = format === 'svg' ? renderSvg(diagram, { title: header }) : format === 'html' ? renderHtml(diagram, { header }) : renderMermaid(diagram);
    try {
      writeFileSync(path, text);
    } catch (error) {
      throw new UsageError(`--${format} ${path}: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    note(`diagram: ${path}`);
  }
}
