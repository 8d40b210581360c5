/**
 * A counterexample as a picture, before any drawing: the lanes (one per process and per server), one row per
 * timeline step with its true time and the acting node's own clock reading, what each row shows (an arrow between
 * two lanes or a mark on one), the lock validity windows, the pauses, and the row that breaks the property.
 * `svg.ts`, `html.ts` and `mermaid.ts` render it; it holds no coordinates.
 */
import type { ViolationReport } from '../check/counterexample.ts';
import { lockWindows, type LockWindow } from './lock-windows.ts';
import { readStep, type StepReading } from './step-reading.ts';
import type { TimelineStep } from './timeline.ts';

/** What a diagram is drawn from: a timeline and the verdict on it. A `ViolationReport` is one. */
export type DiagramSource = Pick<ViolationReport, 'property' | 'description' | 'message' | 'steps' | 'replay'>;

/** What a lane stands for. */
export type LaneRole = 'process' | 'broker' | 'redis' | 'db' | 'gateway' | 'mailer';

/** One lane of the diagram: a process, or a server its commands go to. */
export interface Lane {
  /** The node's name, as in the text timeline: `A`, `W1`, `broker`, `redis`, `redis-2`, … */
  readonly name: string;
  /** What it stands for: `db`, `gateway` and `mailer` are the shop's own effects (orders, payments, e-mail). */
  readonly role: LaneRole;
}

/** One row: a timeline step and what it shows. */
export interface DiagramRow extends TimelineStep {
  /** An arrow between two lanes, or a mark on the step's own lane. */
  readonly shape: StepReading;
}

/** A stretch of rows on one lane, such as a pause. */
export interface Span {
  /** The lane. */
  readonly lane: string;
  /** The first row. */
  readonly from: number;
  /** The last row, or `null` when it lasts past the end of the timeline. */
  readonly to: number | null;
}

/** The verdict, with the row where the property breaks. */
export interface DiagramViolation {
  /** The violated property's name. */
  readonly property: string;
  /** What the property demands. */
  readonly description: string;
  /** The state that breaks it. */
  readonly message: string;
  /** The replay token, when there is one. */
  readonly replay: string | null;
  /** The row after which the property is broken. */
  readonly row: number;
}

/** A counterexample, ready to draw. */
export interface Diagram {
  /** Processes in the order they first act, then the servers: broker, Redis (its instances in order), the shop's effects. */
  readonly lanes: readonly Lane[];
  /** One per step, in order. */
  readonly rows: readonly DiagramRow[];
  /** Lock validity windows, as each holder believes them and as each server has them. */
  readonly locks: readonly LockWindow[];
  /** The pauses of processes, from `‖ pauses` to `▶ resumes`. */
  readonly pauses: readonly Span[];
  /** What is violated, and where. */
  readonly violation: DiagramViolation;
}

/** Server lanes by kind, in the order they are drawn; every other node is a process. */
const SERVER_ROLES: readonly LaneRole[] = ['broker', 'redis', 'db', 'gateway', 'mailer'];

/** `redis-2` is a Redis lane too (Redlock's instance 2). */
const roleOf = (name: string): LaneRole => (/^redis-\d+$/.test(name) ? 'redis' : SERVER_ROLES.find((r) => r === name) ?? 'process');

/** Lanes: processes in order of first appearance, then servers by role, Redis instances by number. */
function lanesOf(rows: readonly DiagramRow[]): Lane[] {
  const names = [...new Set(rows.flatMap((r) => (r.shape.kind === 'message' ? [r.node, r.shape.from, r.shape.to] : [r.node])))];
  const lanes = names.map((name) => ({ name, role: roleOf(name) }));
  const rank = (lane: Lane) => SERVER_ROLES.indexOf(lane.role);
  const servers = lanes.filter((l) => l.role !== 'process')
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'en', { numeric: true }));
  return [...lanes.filter((l) => l.role === 'process'), ...servers];
}

/** Each process's pauses, from `‖ pauses` to `▶ resumes` (or its crash). */
function pausesOf(rows: readonly DiagramRow[]): Span[] {
  const spans: { lane: string; from: number; to: number | null }[] = [];
  rows.forEach((row, i) => {
    if (row.shape.kind !== 'mark') return;
    if (row.shape.mark === 'pause') spans.push({ lane: row.node, from: i, to: null });
    const paused = spans.find((s) => s.lane === row.node && s.to === null && s.from < i);
    if (paused && (row.shape.mark === 'resume' || row.shape.mark === 'crash')) paused.to = i;
  });
  return spans;
}

/** The breaking row: the last, before any trailing `finishes` (a process finishes in the step of its last command). */
function violatingRow(rows: readonly DiagramRow[]): number {
  const finishes = ({ shape }: DiagramRow) => shape.kind === 'mark' && shape.mark === 'finish';
  let row = rows.length - 1;
  while (row > 0 && finishes(rows[row])) row--;
  return row;
}

/**
 * The diagram of a counterexample (a pure function of it). Throws on an empty timeline (a `sometimes`
 * property never reached has no counterexample to draw).
 * @example
 * const { violation } = check('inventory', { variant: 'naive-lock' });
 * const diagram = diagramModel(violation!);
 * diagram.lanes.map((l) => l.name); // ['B', 'C', 'redis']
 */
export function diagramModel(source: DiagramSource): Diagram {
  if (source.steps.length === 0) throw new Error(`${source.property}: an empty timeline has no diagram`);
  const rows = source.steps.map((step) => ({ ...step, shape: readStep(step) }));
  return {
    lanes: lanesOf(rows),
    rows,
    locks: lockWindows(rows, rows.map((r) => r.shape)),
    pauses: pausesOf(rows),
    violation: {
      property: source.property, description: source.description, message: source.message, replay: source.replay,
      row: violatingRow(rows),
    },
  };
}
