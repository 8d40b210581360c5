/**
 * Time in a run: when things happen by themselves (a process's sleep or pause ends, a supervisor restarts a
 * crashed service, a Redis key expires), whether a tick may still be taken in tick mode, and what the record
 * shows while time passes.
 */
import type { FaultBudget } from './actions.ts';
import { readClock } from './clock.ts';
import type { RunEvent } from './events.ts';
import type { Proc } from './proc.ts';
import type { RedisServers } from './redis-servers.ts';
import type { CompiledProcess } from './run-setup.ts';

/**
 * How long a supervisor takes to restart a crashed service, ms of true time (systemd's `RestartSec` defaults
 * to 100 ms, Kubernetes backs off from 10 s): long enough that a peer may take over its messages first.
 * @example p.crashedAt + RESTART_DELAY_MS // when the supervisor has it back
 */
export const RESTART_DELAY_MS = 1000;

/** When a crashed service comes back; `null` for a process that is not down or is never restarted. */
function restartAt(p: Proc, spec: CompiledProcess): number | null {
  return p.crashed && spec.restart ? p.crashedAt + RESTART_DELAY_MS : null;
}

/**
 * Whether the crashed service `p` (run as `spec`) is due back by `now`.
 * @example if (canRestart(p, run.processes[proc], now)) actions.push(restartOf(proc))
 */
export function canRestart(p: Proc, spec: CompiledProcess, now: number): boolean {
  const at = restartAt(p, spec);
  return at !== null && at <= now;
}

/** When process `proc` next acts by itself after `now`: a sleep or pause ending, or its restart after a crash; `null` if never. */
function timerOf(processes: readonly Proc[], specs: readonly CompiledProcess[], proc: number, now: number): number | null {
  const p = processes[proc];
  if (p.live) return p.wakesAt() > now ? p.wakesAt() : null;
  const restart = restartAt(p, specs[proc]);
  return restart !== null && restart > now ? restart : null;
}

/**
 * The earliest instant after `now` at which something happens by itself: a process wakes, a crashed service is
 * restarted, a key expires; `null` if nothing will.
 * @example const next = nextTimer(processes, run.processes, redis, now)
 */
export function nextTimer(processes: readonly Proc[], specs: readonly CompiledProcess[], redis: RedisServers, now: number): number | null {
  let next = Number.POSITIVE_INFINITY;
  for (let proc = 0; proc < processes.length; proc++) {
    const instant = timerOf(processes, specs, proc, now);
    if (instant !== null) next = Math.min(next, instant);
  }
  const expiry = redis.nextExpiry(now);
  if (expiry !== null) next = Math.min(next, expiry);
  return Number.isFinite(next) ? next : null;
}

/**
 * Every instant after `now` at which something happens by itself (a wake, a restart, a key expiring), ascending.
 * @example timerInstants(processes, run.processes, redis, 0) // [100, 3000]
 */
export function timerInstants(processes: readonly Proc[], specs: readonly CompiledProcess[], redis: RedisServers, now: number): number[] {
  const instants = new Set<number>();
  for (let proc = 0; proc < processes.length; proc++) {
    const instant = timerOf(processes, specs, proc, now);
    if (instant !== null) instants.add(instant);
  }
  for (const instant of redis.expiryInstants(now)) instants.add(instant);
  return [...instants].sort((a, b) => a - b);
}

/**
 * Tick mode, with the horizon not yet reached at `now`.
 * @example canTick({ ...faults, tickMs: 1, horizonMs: 8 }, 7) // true
 */
export function canTick(faults: FaultBudget, now: number): boolean {
  const tick = faults.tickMs ?? 0;
  return tick > 0 && now + tick <= (faults.horizonMs ?? 0);
}

/**
 * For the record: what happens while time passes from `from` to `to` — expiries, clock jumps, resumptions.
 * @example events.push(...timePassing(processes, redis, now, next))
 */
export function timePassing(processes: readonly Proc[], redis: RedisServers, from: number, to: number): RunEvent[] {
  const passing = redis.passing(from, to);
  for (let proc = 0; proc < processes.length; proc++) {
    const clock = processes[proc].clock;
    for (const j of clock.jumps) if (j.at > from && j.at <= to) passing.push({ kind: 'jump', t: j.at, proc, clock: readClock(clock, j.at), by: j.by });
  }
  passing.sort((a, b) => a.t - b.t || (a.kind === 'jump' ? -1 : 1));
  processes.forEach((p, proc) => {
    if (p.live && p.pausedUntil === to) passing.push({ kind: 'resume', t: to, proc, clock: readClock(p.clock, to) });
  });
  return passing;
}
