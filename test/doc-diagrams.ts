/**
 * The pictures the documentation shows, as data: each is a real counterexample found by `check`, drawn by the
 * same renderer as `--svg`. scripts/render-diagrams.ts writes them into docs/images; test/diagram.test.ts fails
 * when a file there is not what the checker and renderer produce today.
 */
import { join } from 'node:path';
import { check, diagramModel, renderSvg, type CheckOptions } from '../src/index.ts';
import { headerLine } from '../src/report/text.ts';
import { ROOT } from './docs-blocks.ts';

/** One picture: where it goes and the check it draws. */
export interface DocDiagram {
  /** The file, relative to the repository root. */
  readonly file: string;
  /** The scenario checked. */
  readonly scenario: string;
  /** The options of the check (as on the command line the docs show next to it). */
  readonly options: CheckOptions;
}

/** Every picture in the docs. */
export const DOC_DIAGRAMS: readonly DocDiagram[] = [
  { file: 'docs/images/naive-lock.svg', scenario: 'inventory', options: { variant: 'naive-lock' } },
  { file: 'docs/images/redlock-jump.svg', scenario: 'redlock', options: { variant: 'redlock', pauses: 0, jumps: 1 } },
  { file: 'docs/images/timestamp-lock.svg', scenario: 'clock-skew', options: { variant: 'timestamp-lock' } },
];

/** The SVG of one picture, exactly as `interleave check SCENARIO … --svg FILE` writes it. */
export function renderDocDiagram(diagram: DocDiagram): string {
  const result = check(diagram.scenario, diagram.options);
  if (!result.violation) throw new Error(`${diagram.file}: ${diagram.scenario} found no counterexample to draw`);
  return renderSvg(diagramModel(result.violation), { title: headerLine(result) });
}

/** The absolute path of a picture. */
export const docDiagramPath = (diagram: DocDiagram) => join(ROOT, diagram.file);
