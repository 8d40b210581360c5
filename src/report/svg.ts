/**
 * A diagram as SVG: a lane per process and server, rows down a true-time axis (with a gap where time passes),
 * each row's true time on the left and the acting node's own clock beside its lane, commands and deliveries as
 * arrows, pauses, crashes and expiries as marks, lock windows as bars (solid: the holder believes it holds the
 * lock; pale: the server has the key), and the violating row in red. Plain strings, same input → same bytes.
 */
import type { Diagram, DiagramRow } from './diagram-model.ts';
import type { LockWindow } from './lock-windows.ts';
import type { MarkReading, MessageReading } from './step-reading.ts';
import { element, escapeXml, type Attributes } from './markup.ts';
import { BAR_STEP, BAR_WIDTH, CHAR_WIDTH, drawingWidth, FONT_SIZE, layout, MARGIN, ROW_HEIGHT, textWidth, type Layout } from './svg-layout.ts';

/** Options of `renderSvg`. */
export interface SvgOptions {
  /** A line above the lanes, e.g. the header `check` prints (`inventory / naive-lock  (buyers=3 …)`). */
  readonly title?: string;
}

/** Colours of lock holders, in the order their windows open (red is kept for the violation). */
const PALETTE = ['#2f6fb0', '#e08a1e', '#3a9d5d', '#8e5fb3', '#00838f', '#8d6e63'];

/** Every class the drawing uses is prefixed `il-`, since an inline SVG's style applies to the whole page. */
const STYLE = [
  'text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:11px;fill:#222}',
  '.il-halo{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}',
  '.il-title{font-size:12px;font-weight:bold}',
  '.il-lane-line{stroke:#bbb;stroke-dasharray:3 3}',
  '.il-lane-head{stroke:#999}.il-process{fill:#e3eefa}.il-redis{fill:#fbe3e1}.il-broker{fill:#fdf0d9}.il-db,.il-gateway,.il-mailer{fill:#e4f3e6}',
  '.il-lane-name{font-size:12px;font-weight:bold;text-anchor:middle}',
  '.il-axis{fill:#666;font-size:10px;text-anchor:end}',
  '.il-gap{stroke:#ccc;stroke-dasharray:1 3}.il-gap-label{fill:#888;font-size:10px;font-style:italic;text-anchor:end}',
  '.il-clock{fill:#999;font-size:10px}.il-skewed{fill:#e65100;font-weight:bold}',
  '.il-arrow{stroke-width:1.4;fill:none}.il-command,.il-ack{stroke:#37474f}.il-delivery{stroke:#1565c0}.il-closed{stroke:#8d6e63;stroke-dasharray:4 3}',
  '.il-mark{stroke:#fff;stroke-width:1.5}',
  '.il-arrive,.il-finish,.il-resume,.il-note{fill:#607d8b}.il-pause{fill:#9e9e9e}.il-crash,.il-lost{fill:#c62828}',
  '.il-restart{fill:#2e7d32}.il-close,.il-settle{fill:#8d6e63}.il-clock-mark{fill:#0277bd}.il-jump{fill:#ef6c00}.il-expire{fill:#f9a825}',
  '.il-paused{fill:url(#il-hatch);stroke:#9e9e9e;stroke-dasharray:2 2}',
  '.il-band{fill:#fdecea}.il-violation .il-label{fill:#b71c1c;font-weight:bold}',
  '.il-verdict{fill:#b71c1c;font-weight:bold;font-size:12px}.il-description{fill:#555}.il-legend{fill:#555;font-size:10px}',
].join('');

/** Arrowheads, one per kind of message, coloured like their lines. */
const DEFS = element('defs', {}, [
  ...([['command', '#37474f'], ['ack', '#37474f'], ['delivery', '#1565c0'], ['closed', '#8d6e63']] as const).map(([kind, colour]) =>
    element('marker', { id: `il-head-${kind}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      element('path', { d: 'M0,0L10,5L0,10z', fill: colour }))),
  element('pattern', { id: 'il-hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
    element('rect', { width: 6, height: 6, fill: '#f2f2f2' }) + element('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#c8c8c8', 'stroke-width': 2 })),
].join(''));

const text = (attributes: Attributes, content: string) => element('text', attributes, escapeXml(content));

/** Lines of at most `max` characters, broken at spaces. */
function wrap(line: string, max: number): string[] {
  const lines: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const cut = rest.lastIndexOf(' ', max);
    const at = cut > 0 ? cut : max;
    lines.push(rest.slice(0, at));
    rest = rest.slice(at).trimStart();
  }
  return [...lines, rest];
}

/** Where a label starts so that it stays inside the drawing: at `x`, or pulled left to end at the margin. */
function fitted(x: number, label: string, l: Layout): number {
  return Math.max(l.axisRight + 4, Math.min(x, l.width - MARGIN - textWidth(label)));
}

/** An arrow between two lanes, its text above it from the left end. */
function drawMessage(row: DiagramRow & { shape: MessageReading }, y: number, l: Layout): string {
  const { from, to, message } = row.shape;
  const [x1, x2] = [l.laneX(from), l.laneX(to)];
  const towards = Math.sign(x2 - x1);
  const line = element('line', { class: `il-arrow il-${message}`, x1: x1 + 2 * towards, y1: y, x2: x2 - 2 * towards, y2: y, 'marker-end': `url(#il-head-${message})` });
  const labelX = fitted(Math.min(x1, x2) + l.labelOffset(towards >= 0 ? from : to), row.text, l);
  return line + text({ class: 'il-label il-halo', x: labelX, y: y - 4 }, row.text);
}

/** A dot on the lane line, its text to the right, or to the left where the right has no room. */
function drawMark(row: DiagramRow & { shape: MarkReading }, y: number, l: Layout): { svg: string; textRight: boolean } {
  const x = l.laneX(row.node);
  const right = x + l.labelOffset(row.node);
  const textRight = right + textWidth(row.text) <= l.width - MARGIN;
  const dot = element('circle', { class: `il-mark il-${row.shape.mark === 'clock' ? 'clock-mark' : row.shape.mark}`, cx: x, cy: y, r: 4.5 });
  const labelX = fitted(textRight ? right : x - 10 - textWidth(row.text), row.text, l);
  return { svg: dot + text({ class: 'il-label il-halo', x: labelX, y: y + 4 }, row.text), textRight };
}

/** One row: its true time, its arrow or mark with the step's text, and the acting node's clock on the other side. */
function drawRow(row: DiagramRow, index: number, d: Diagram, l: Layout): string {
  const y = l.rowY[index];
  const x = l.laneX(row.node);
  const { shape } = row;
  const drawn = shape.kind === 'message' ? { svg: drawMessage({ ...row, shape }, y, l), textRight: true } : drawMark({ ...row, shape }, y, l);
  const clock = String(row.clock);
  const clockX = drawn.textRight ? x - 16 - textWidth(clock, 10) : x + l.labelOffset(row.node);
  const violating = index === d.violation.row;
  const tip = `t=${row.t} ms, ${row.node}'s clock ${row.clock}: ${row.text}${violating ? ` — ${d.violation.property} violated` : ''}`;
  return element('g', { class: violating ? 'il-row il-violation' : 'il-row', id: violating ? 'il-violating-step' : undefined, 'data-row': index }, [
    element('title', {}, escapeXml(tip)),
    text({ class: 'il-axis', x: l.axisRight - 8, y: y + 4 }, String(row.t)),
    drawn.svg,
    text({ class: `il-clock${row.clock === row.t ? '' : ' il-skewed'}`, x: clockX, y: y + 4 }, clock),
  ].join(''));
}

/**
 * A lock window as a bar beside its lane line, in its holder's colour: solid for a belief, pale for a server's
 * copy, hollow for a belief the servers no longer back.
 */
function drawBar(w: LockWindow, slot: number, colour: string, l: Layout): string {
  const x = l.laneX(w.lane) + 3 + slot * BAR_STEP;
  const top = l.rowY[w.from] - 3;
  const bottom = w.to === null ? l.rowsBottom : l.rowY[w.to] + 3;
  const until = w.to === null ? 'still at the end' : `until row ${w.to + 1} (${w.end})`;
  const whose = w.view === 'holder' ? `${w.holder} believes it holds ${w.key}` : `${w.lane} has ${w.key} = ${JSON.stringify(w.token)} (${w.holder}'s)`;
  const bar = (y1: number, y2: number, style: Attributes, tip: string) => element('rect', {
    class: `il-bar il-${w.view}`, x, y: y1, width: BAR_WIDTH, height: Math.max(y2 - y1, 6), rx: 2, stroke: colour, ...style,
  }, element('title', {}, escapeXml(tip)));
  const open = w.to === null ? '3 2' : undefined;
  if (w.view === 'server') return bar(top, bottom, { fill: colour, 'fill-opacity': 0.3, 'stroke-dasharray': open }, `${whose}: from row ${w.from + 1} ${until}`);
  if (w.lost === null) return bar(top, bottom, { fill: colour, 'fill-opacity': 0.9 }, `${whose}: from row ${w.from + 1} ${until}`);
  const split = l.rowY[w.lost];
  return bar(top, split, { fill: colour, 'fill-opacity': 0.9 }, `${whose}: from row ${w.from + 1}`)
    + bar(split, bottom, { fill: '#fff', 'stroke-width': 1.5, 'stroke-dasharray': '3 2' }, `${w.holder} still believes it holds ${w.key}, but no server has ${JSON.stringify(w.token)} since row ${w.lost + 1}: ${until}`);
}

/** The legend: what the bars, hatching and clock colours mean (only those the diagram has), wrapped to `width`. */
function legend(d: Diagram, top: number, width: number): { parts: string[]; bottom: number } {
  const entries: [(x: number, y: number) => string, string][] = [];
  const bar = (style: Attributes) => (x: number, y: number) => element('rect', { x, y: y - 8, width: BAR_WIDTH, height: 12, stroke: PALETTE[0], ...style });
  if (d.locks.length > 0) {
    entries.push([bar({ fill: PALETTE[0], 'fill-opacity': 0.9 }), 'the holder believes it holds the lock']);
    entries.push([bar({ fill: PALETTE[0], 'fill-opacity': 0.3 }), 'the server has the key']);
  }
  if (d.locks.some((w) => w.lost !== null)) entries.push([bar({ fill: '#fff', 'stroke-width': 1.5, 'stroke-dasharray': '3 2' }), 'it still believes so; no server has it']);
  if (d.pauses.length > 0) entries.push([(x, y) => element('rect', { class: 'il-paused', x, y: y - 8, width: 10, height: 12 }), 'paused']);
  entries.push([(x, y) => text({ class: 'il-clock il-skewed', x: x - 2, y }, '12'), "a node's own clock, orange when it is not true time"]);
  const parts: string[] = [];
  let [x, y] = [MARGIN, top];
  for (const [swatch, label] of entries) {
    const w = 14 + textWidth(label, 10);
    if (x > MARGIN && x + w > width - MARGIN) [x, y] = [MARGIN, y + 16];
    parts.push(swatch(x, y), text({ class: 'il-legend', x: x + 14, y }, label));
    x += w + 18;
  }
  return { parts, bottom: y + 6 };
}

/** What the rows are drawn over: lane headers and lines, the gaps where time passes, the violation's band, pauses. */
function drawBackdrop(d: Diagram, l: Layout): string[] {
  const band = l.rowY[d.violation.row] - ROW_HEIGHT / 2;
  return [
    text({ class: 'il-axis', x: l.axisRight - 8, y: l.headerTop + 17 }, 'true ms'),
    ...d.lanes.flatMap((lane) => {
      const x = l.laneX(lane.name);
      return [
        element('line', { class: 'il-lane-line', x1: x, y1: l.headerTop + 26, x2: x, y2: l.rowsBottom }),
        element('rect', { class: `il-lane-head il-${lane.role}`, x: x - l.laneWidth / 2 + 6, y: l.headerTop, width: l.laneWidth - 12, height: 26, rx: 4 }),
        text({ class: 'il-lane-name', x, y: l.headerTop + 17 }, lane.name),
      ];
    }),
    ...l.gaps.flatMap((g) => [
      element('line', { class: 'il-gap', x1: MARGIN, y1: g.y, x2: l.width - MARGIN, y2: g.y }),
      text({ class: 'il-gap-label il-halo', x: l.axisRight - 8, y: g.y + 4 }, `+${g.ms} ms`),
    ]),
    element('rect', { class: 'il-band', x: MARGIN, y: band, width: l.width - 2 * MARGIN, height: ROW_HEIGHT }),
    ...d.pauses.map((p) => {
      const top = l.rowY[p.from];
      const bottom = p.to === null ? l.rowsBottom : l.rowY[p.to];
      return element('rect', { class: 'il-paused', x: l.laneX(p.lane) - 12, y: top, width: 12, height: Math.max(bottom - top, 4) });
    }),
  ];
}

/**
 * The diagram as a standalone SVG document, about 1000 px wide (wider when there are many lanes).
 * @example
 * const { violation } = check('inventory', { variant: 'naive-lock' });
 * writeFileSync('naive-lock.svg', renderSvg(diagramModel(violation!), { title: 'inventory / naive-lock' }));
 */
export function renderSvg(diagram: Diagram, options: SvgOptions = {}): string {
  const { violation } = diagram;
  const columns = (size: number) => Math.floor((drawingWidth(diagram) - 2 * MARGIN) / (CHAR_WIDTH * size / FONT_SIZE));
  const title = options.title === undefined ? [] : wrap(options.title, columns(12));
  const l = layout(diagram, title.length);
  const verdict = wrap(`✗ ${violation.property} violated: ${violation.message}`, columns(12));
  const described = wrap(`property: ${violation.description}`, columns(FONT_SIZE));
  const verdictTop = l.rowsBottom + 24;
  const key = legend(diagram, verdictTop + (verdict.length + described.length) * 16 + 14, l.width);
  const height = key.bottom + MARGIN;
  const colours = new Map<string, string>();
  for (const w of diagram.locks) if (!colours.has(w.token)) colours.set(w.token, PALETTE[colours.size % PALETTE.length]);
  const body = [
    element('title', { id: 'il-diagram-title' }, escapeXml(`${options.title ? `${options.title}: ` : ''}${violation.property} violated: ${violation.message}`)),
    element('style', {}, STYLE),
    DEFS,
    element('rect', { width: l.width, height, fill: '#fff' }),
    ...title.map((line, i) => text({ class: 'il-title', x: MARGIN, y: MARGIN + 12 + i * 16 }, line)),
    ...drawBackdrop(diagram, l),
    ...diagram.locks.map((w, i) => drawBar(w, l.slots[i], colours.get(w.token)!, l)),
    ...diagram.rows.map((row, i) => drawRow(row, i, diagram, l)),
    ...verdict.map((line, i) => text({ class: 'il-verdict', x: MARGIN, y: verdictTop + i * 16 }, line)),
    ...described.map((line, i) => text({ class: 'il-description', x: MARGIN, y: verdictTop + (verdict.length + i) * 16 }, line)),
    ...key.parts,
  ];
  const svg = element('svg', {
    xmlns: 'http://www.w3.org/2000/svg', width: l.width, height, viewBox: `0 0 ${l.width} ${height}`, role: 'img', 'aria-labelledby': 'il-diagram-title',
  }, `\n${body.join('\n')}\n`);
  return `${svg}\n`;
}
