/**
 * A diagram as Mermaid `sequenceDiagram` text, for Markdown pages (GitHub renders it): a participant per lane,
 * a message per command or delivery, notes for pauses, crashes, expiries and each passage of true time,
 * activations for lock windows, and the violating step in a red box with the verdict.
 */
import type { Diagram, DiagramRow } from './diagram-model.ts';

/**
 * Mermaid reads `#…;` as a character code, `;` and `%%` as syntax, and tags in labels as HTML: code them all;
 * a line break would end the statement.
 */
const CODES: Readonly<Record<string, string>> = { '#': '#35;', ';': '#59;', '%': '#37;', '<': '#lt;', '>': '#gt;' };
const label = (text: string) => text.replace(/[#;%<>]/g, (c) => CODES[c]).replace(/[\r\n]+/g, ' ');

/** The statement of one row: an arrow between participants, or a note over one. */
function statement(row: DiagramRow, id: (lane: string) => string): string {
  const clock = row.clock === row.t ? '' : `  [${row.node}'s clock: ${row.clock}]`;
  if (row.shape.kind === 'mark') return `Note over ${id(row.node)}: ${label(row.text + clock)}`;
  const arrow = row.shape.message === 'delivery' ? '-)' : row.shape.message === 'closed' ? '--)' : '->>';
  return `${id(row.shape.from)}${arrow}${id(row.shape.to)}: ${label(row.text + clock)}`;
}

/**
 * The diagram as Mermaid text (`sequenceDiagram …`), ending with a newline.
 * @example
 * const { violation } = check('payment', { variant: 'ack-after' });
 * console.log(renderMermaid(diagramModel(violation!))); // paste into a ```mermaid block
 */
export function renderMermaid(diagram: Diagram): string {
  const ids = new Map(diagram.lanes.map((lane, i) => [lane.name, `L${i + 1}`]));
  const id = (lane: string) => ids.get(lane)!;
  const all = diagram.lanes.length === 1 ? 'L1' : `L1,L${diagram.lanes.length}`;
  const { violation } = diagram;
  const lines = ['sequenceDiagram', ...diagram.lanes.map((lane) => `    participant ${id(lane.name)} as ${label(lane.name)}`)];
  diagram.rows.forEach((row, i) => {
    const passed = i === 0 ? null : row.t - diagram.rows[i - 1].t;
    if (passed !== 0) lines.push(`    Note over ${all}: t = ${row.t} ms${passed === null ? '' : ` (+${passed} ms)`}`);
    const violating = i === violation.row;
    const indent = violating ? '        ' : '    ';
    if (violating) lines.push('    rect rgb(253, 226, 226)');
    lines.push(indent + statement(row, id));
    // Lock windows as activations: the ones that end here first, so that a lane's stack stays balanced.
    for (const w of diagram.locks.filter((w) => w.to === i && w.from < i)) lines.push(`${indent}deactivate ${id(w.lane)}`);
    for (const w of diagram.locks.filter((w) => w.from === i)) lines.push(`${indent}activate ${id(w.lane)}`);
    for (const w of diagram.locks.filter((w) => w.to === i && w.from === i)) lines.push(`${indent}deactivate ${id(w.lane)}`);
    if (violating) lines.push(`        Note over ${all}: ${label(`✗ ${violation.property} violated: ${violation.message}`)}`, '    end');
  });
  return `${lines.join('\n')}\n`;
}
