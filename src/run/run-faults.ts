/**
 * The faults `interleave run` injects unless told otherwise, from the scenario's checker budgets and the variant's
 * pause points, and the checks that the counts and lengths given make sense.
 */
import { defaultFaults } from '../api/check.ts';
import { UsageError, type Prepared } from '../check/prepare.ts';
import { RESTART_DELAY_MS } from '../sim/simulation.ts';
import type { FaultOptions } from './fault-plan.ts';
import { pausePoints } from './pause-points.ts';

/**
 * How long a pause lasts where the scenario has no deadline for it to outlast: no lock TTL, no idempotency
 * window. In order-confirm a paused worker holds its message unacked for as long as it stands still (the models
 * have no ack timeout; RabbitMQ's `consumer_timeout` is 30 minutes), so no length makes a pause break anything
 * that a shorter one would not. The one duration such a scenario has is the supervisor's restart delay: twice
 * it lets a peer killed as the pause begins come back, and everything else run ahead, before the worker goes on.
 * @example runFaults(prepare(orderConfirm, findVariant(orderConfirm, 'outbox'), { workers: 2 }, 1), {}).pauseMs // UNTIMED_PAUSE_MS, 2000
 */
export const UNTIMED_PAUSE_MS = 2 * RESTART_DELAY_MS;

/**
 * The faults a run injects unless told otherwise: the checker's pause and crash budgets of the scenario, with
 * pauses of twice what a pause is to outlast — the lock TTL, or else the gateway's idempotency window, or else
 * {@link UNTIMED_PAUSE_MS} — `pauses` of them inside critical sections and as many (or `deliveryPauses`) on
 * workers after a delivery, each where the variant's processes have such points (pause-points.ts); arrivals
 * spread over one pause where pauses land in critical sections (all at once otherwise); and no closes, publisher kills,
 * disconnects or stalls (a stall pauses every client of the server, other programs' too: only when asked for,
 * and one lock TTL long unless told).
 * @example runFaults(prepare(inventory, findVariant(inventory, 'naive-lock'), { buyers: 3, stock: 1, ttl: 1000 }, 1), {}) // { pauses: 2, deliveryPauses: 0, pauseMs: 2000, kills: 0, … }
 */
export function runFaults(prepared: Prepared, given: Partial<FaultOptions>): FaultOptions {
  const { params } = prepared;
  const budget = defaultFaults(prepared.scenario);
  const points = pausePoints(prepared.instance.processes.map((p) => p.machine));
  const outlast = params.ttl ?? params.window;
  const pauseMs = given.pauseMs ?? (outlast === undefined ? UNTIMED_PAUSE_MS : 2 * outlast);
  const pauses = given.pauses ?? (pauseMs > 0 ? budget.pauses : 0);
  const faults = {
    pauses: points.critical ? pauses : 0,
    deliveryPauses: points.delivery ? given.deliveryPauses ?? pauses : 0,
    pauseMs,
    kills: given.kills ?? budget.crashes,
    closes: given.closes ?? 0,
    publishKills: given.publishKills ?? 0,
    arrivalsMs: given.arrivalsMs ?? (points.critical ? pauseMs : 0),
    disconnects: given.disconnects ?? 0,
    stalls: given.stalls ?? 0,
    stallMs: given.stallMs ?? params.ttl ?? 0,
  };
  for (const [name, value] of Object.entries(faults)) {
    if (!Number.isInteger(value) || value < 0) throw new UsageError(`${name} must be a non-negative integer, got ${value}`);
  }
  if (faults.pauses + faults.deliveryPauses > 0 && faults.pauseMs === 0) throw new UsageError('pauses need a length: give --pause MS');
  if (faults.stalls > 0 && faults.stallMs === 0) throw new UsageError('stalls need a length: give --stall MS');
  return faults;
}
