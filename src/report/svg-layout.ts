/**
 * Where things go in the SVG: lane centres, row heights, the extra space where true time passes, and the
 * estimated width of text (monospace, so a character count is a fair estimate). Pure arithmetic on a diagram.
 */
import type { Diagram } from './diagram-model.ts';
import type { LockWindow } from './lock-windows.ts';

/** Font size of row labels, px; the whole drawing is in a monospace font. */
export const FONT_SIZE = 11;
/** Width of one character at `FONT_SIZE`, px (monospace fonts are about 0.6 em wide). */
export const CHAR_WIDTH = 6.6;
/** Outer margin, px. */
export const MARGIN = 16;
/** Height of one row, px. */
export const ROW_HEIGHT = 22;
/** Width of a lock bar beside a lane line, px. */
export const BAR_WIDTH = 6;
/** From one bar to the next when two stand side by side, px. */
export const BAR_STEP = 8;

/** The width the drawing aims at, px. */
const TARGET_WIDTH = 1000;
/** The narrowest lane, px: more lanes than fit make the drawing wider. */
const MIN_LANE = 120;
/** The true-time column on the left, px. */
const AXIS_WIDTH = 64;
/** Extra space before a row whose true time is later than the previous row's, px. */
const GAP_HEIGHT = 18;
/** Space for each line of the optional title, px. */
const TITLE_LINE = 16;
/** Height of the lane headers, px. */
const HEADER_HEIGHT = 26;

/** The positions of a diagram's parts. */
export interface Layout {
  /** Total width, px. */
  readonly width: number;
  /** The width of one lane, px. */
  readonly laneWidth: number;
  /** The x of the true-time column's right edge. */
  readonly axisRight: number;
  /** The y of the lane headers' top. */
  readonly headerTop: number;
  /** The y of each row's centre. */
  readonly rowY: readonly number[];
  /** Rows that follow a passage of true time: the y of the gap's centre, and how many ms passed. */
  readonly gaps: readonly { readonly y: number; readonly ms: number }[];
  /** The y just below the last row. */
  readonly rowsBottom: number;
  /** Each lock window's slot beside its lane line (0 nearest), in `diagram.locks` order. */
  readonly slots: readonly number[];
  /** The x of the lane called `name`'s line. */
  laneX(name: string): number;
  /** How far right of a lane line its labels start, clear of the bars, px. */
  labelOffset(name: string): number;
}

/**
 * The estimated width of `text` in px at `size` (an emoji such as ⌛ counts double).
 * @example textWidth('GET stock') > textWidth('GET') // true
 */
export function textWidth(text: string, size = FONT_SIZE): number {
  const wide = [...text].filter((c) => c === '⌛').length;
  return ([...text].length + wide) * CHAR_WIDTH * (size / FONT_SIZE);
}

/** Slots beside each lane line, so that windows that overlap in rows stand side by side. */
function barSlots(locks: readonly LockWindow[], lastRow: number): number[] {
  const taken: { lane: string; slot: number; from: number; to: number }[] = [];
  return locks.map((w) => {
    const to = w.to ?? lastRow;
    let slot = 0;
    while (taken.some((o) => o.lane === w.lane && o.slot === slot && o.from <= to && w.from <= o.to)) slot++;
    taken.push({ lane: w.lane, slot, from: w.from, to });
    return slot;
  });
}

/** The width of the drawing: about `TARGET_WIDTH`, more when its lanes would be narrower than `MIN_LANE`. */
function laneWidthOf(lanes: number): number {
  return Math.max(MIN_LANE, Math.floor((TARGET_WIDTH - 2 * MARGIN - AXIS_WIDTH) / lanes));
}

/**
 * The width `diagram` will be drawn at, px (for wrapping a title to it).
 * @example drawingWidth(diagram) // 1000
 */
export function drawingWidth(diagram: Diagram): number {
  return 2 * MARGIN + AXIS_WIDTH + laneWidthOf(diagram.lanes.length) * diagram.lanes.length;
}

/**
 * The layout of `diagram`, with room for `titleLines` lines of title above the lanes.
 * @example layout(diagram, 1).laneX('redis')
 */
export function layout(diagram: Diagram, titleLines: number): Layout {
  const lanes = diagram.lanes.map((l) => l.name);
  const laneWidth = laneWidthOf(lanes.length);
  const axisRight = MARGIN + AXIS_WIDTH;
  const headerTop = MARGIN + (titleLines > 0 ? titleLines * TITLE_LINE + 10 : 0);
  const rowY: number[] = [];
  const gaps: { y: number; ms: number }[] = [];
  let y = headerTop + HEADER_HEIGHT + 10 + ROW_HEIGHT / 2;
  diagram.rows.forEach((row, i) => {
    const ms = i === 0 ? 0 : row.t - diagram.rows[i - 1].t;
    if (ms > 0) {
      gaps.push({ y: y - ROW_HEIGHT / 2 + GAP_HEIGHT / 2, ms });
      y += GAP_HEIGHT;
    }
    rowY.push(y);
    y += ROW_HEIGHT;
  });
  const slots = barSlots(diagram.locks, diagram.rows.length - 1);
  const barsBeside = (name: string) => Math.max(0, ...diagram.locks.map((w, i) => (w.lane === name ? slots[i] + 1 : 0)));
  return {
    width: drawingWidth(diagram),
    laneWidth,
    axisRight,
    headerTop,
    rowY,
    gaps,
    rowsBottom: y - ROW_HEIGHT / 2 + 6,
    slots,
    laneX: (name) => axisRight + laneWidth * (lanes.indexOf(name) + 0.5),
    labelOffset: (name) => 8 + barsBeside(name) * BAR_STEP,
  };
}
