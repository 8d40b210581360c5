/**
 * A run as a story: one line per event, with the true time, the acting node's own clock reading, and the text
 * in that node's lane (one lane per process that took part, then the broker and Redis). Processes that never
 * act get no lane.
 */
import type { RunEvent } from '../sim/events.ts';
import { describeEvent } from './describe.ts';

/** One line of a timeline, as data (the `steps` of `--json`). */
export interface TimelineStep {
  /** True time in ms. */
  readonly t: number;
  /** The node: a process name or `redis`. */
  readonly node: string;
  /** That node's own clock reading. */
  readonly clock: number;
  /** What happened. */
  readonly text: string;
}

const LANE_WIDTH = 30;

/** The events of a run as timeline steps. */
export function timelineSteps(events: readonly RunEvent[], processNames: readonly string[]): TimelineStep[] {
  return events.map((e) => ({
    t: e.t,
    node: 'proc' in e && e.proc !== undefined ? processNames[e.proc] : e.kind === 'settle' || e.kind === 'lost' ? 'broker' : serverName('server' in e ? e.server ?? 0 : 0),
    clock: e.clock,
    text: describeEvent(e),
  }));
}

/**
 * A Redis server's name, as timelines, diagrams, the play page and `--clock` name it: `redis` (the store), then
 * `redis-1`, `redis-2`, … (Redlock's instances `@1`, `@2`, …).
 * @example serverName(2) // 'redis-2'
 */
export function serverName(index: number): string {
  return index === 0 ? 'redis' : `redis-${index}`;
}

/** Server lanes go after the processes', the broker first, then the Redis servers in order. */
const isServer = (node: string) => node === 'broker' || node === 'redis' || node.startsWith('redis-');

/** Renders steps as text lines with a header; a lane per process in order of first appearance, servers last. */
export function renderTimeline(steps: readonly TimelineStep[]): string[] {
  const acting = new Set(steps.map((s) => s.node));
  const servers = [...acting].filter(isServer).sort((a, b) => (a === 'broker' ? -1 : b === 'broker' ? 1 : a.localeCompare(b, 'en', { numeric: true })));
  const lanes = [...[...acting].filter((n) => !isServer(n)), ...servers];
  const timeWidth = Math.max(7, ...steps.map((s) => String(s.t).length));
  const clockWidth = Math.max(5, ...steps.map((s) => String(s.clock).length));
  const prefix = (t: string, clock: string) => `${t.padStart(timeWidth)}  ${clock.padStart(clockWidth)} │ `;
  const header = prefix('true ms', 'clock') + lanes.map((l) => l.padEnd(LANE_WIDTH)).join('').trimEnd();
  const lanesText = steps.map((s) => ' '.repeat(LANE_WIDTH * lanes.indexOf(s.node)) + s.text);
  const rule = '─'.repeat(timeWidth + clockWidth + 3) + '┼' + '─'.repeat(Math.max(LANE_WIDTH * lanes.length, ...lanesText.map((l) => l.length + 1)));
  return [header, rule, ...steps.map((s, i) => prefix(String(s.t), String(s.clock)) + lanesText[i])];
}
