/**
 * The text of a run result: what ran where, one line per property with the iterations that broke or reached
 * it, then the first violation's timeline in the checker's format, and whether the models agreed with the
 * servers.
 */
import { renderTimeline } from '../report/timeline.ts';
import type { PropertyTally, RunResult } from './run.ts';

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `✗ no-oversell   broken in 7 of 30 iterations`, `✓ reaches-sale   reached in 30 of 30`. */
function tallyLine(t: PropertyTally, iterations: number, width: number): string {
  const name = t.property.padEnd(width);
  if (t.kind === 'sometimes') return `  ${t.reachedIn > 0 ? '✓' : '–'} ${name}  ${t.reachedIn > 0 ? `reached in ${t.reachedIn} of ${iterations}` : `never reached in ${iterations === 1 ? 'the iteration' : `${iterations} iterations`}`}`;
  return `  ${t.violatedIn > 0 ? '✗' : '✓'} ${name}  ${t.violatedIn > 0 ? `broken in ${t.violatedIn} of ${iterations}` : 'held in every iteration'}`;
}

/**
 * The whole text of a run result.
 * @example runResultLines(await run(inventory, { variant: 'naive-lock' })).join('\n')
 */
export function runResultLines(r: RunResult): string[] {
  const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(' ');
  const where = [r.servers.redis, r.servers.amqp].filter((s) => s !== null).join(' and ');
  const f = r.faults;
  const faults = [
    f.pauses > 0 ? `${count(f.pauses, 'pause')} of ${f.pauseMs} ms in the critical section` : '',
    f.deliveryPauses > 0 ? `${count(f.deliveryPauses, 'pause')} of ${f.pauseMs} ms after a delivery` : '',
    f.kills > 0 ? `${count(f.kills, 'kill')} after a delivery` : '',
    f.closes > 0 ? `${count(f.closes, 'channel close')} after a delivery` : '',
    f.publishKills > 0 ? `${count(f.publishKills, 'kill')} before a publish` : '',
    f.disconnects > 0 ? `${count(f.disconnects, 'Redis connection')} killed in the critical section` : '',
    f.stalls > 0 ? `${count(f.stalls, 'Redis stall')} of ${f.stallMs} ms (CLIENT PAUSE WRITE)` : '',
  ].filter(Boolean).join(', ') || 'none';
  const scale = r.timeScale === 1 ? 'real time' : `time scale ${r.timeScale} (1 real ms stands for ${r.timeScale} ms)`;
  const isolation = r.isolation === 'process' ? ', each process in a child process (a pause is SIGSTOP, a kill SIGKILL)' : '';
  const width = Math.max(...r.properties.map((t) => t.property.length));
  const lines = [
    `${r.scenario} / ${r.variant}  (${params ? `${params}; ` : ''}seed ${r.seed}) on ${where}`,
    `  ${count(r.iterations, 'iteration')}${r.parallel > 1 ? ` (${r.parallel} at a time)` : ''}, ${scale}${isolation}; faults per iteration: ${faults}${f.arrivalsMs > 0 ? `; arrivals within ${f.arrivalsMs} ms` : ''}`,
    '',
    ...r.properties.map((t) => tallyLine(t, r.iterations, width)),
  ];
  if (r.unjudged > 0) lines.push(`  not judged: the properties checked when a run is over, in ${count(r.unjudged, 'iteration')} cut off by --max-time`);
  if (r.violation) {
    const v = r.violation;
    lines.push('', `  iteration ${v.iteration}:`, ...renderTimeline(v.steps).map((l) => `  ${l}`), '', `✗ ${v.property} violated: ${v.message}`, `  property: ${v.description}`);
  } else {
    lines.push('', `✓ no violation in ${count(r.iterations, 'iteration')}`);
  }
  lines.push(r.fidelity.iterations === 0
    ? '  fidelity: the models answered as the servers did, in every iteration'
    : `  fidelity: ✗ the models disagreed with the servers in ${count(r.fidelity.iterations, 'iteration')}; first: ${r.fidelity.problems[0]}`);
  lines.push(`  (${(r.realMs / 1000).toFixed(1)} s wall time)`);
  return lines;
}
