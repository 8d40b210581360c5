/**
 * The actions that make progress in a run, in a fixed order: steps of ready processes, arrivals and restarts,
 * deliveries, and time passing — a tick (tick mode, up to the horizon), or else a wait to the next timer when
 * nobody can act.
 */
import type { Action } from './actions.ts';
import { canReceive, deliverableTags } from './deliveries.ts';
import type { Proc } from './proc.ts';
import type { RedisServers } from './redis-servers.ts';
import type { RunSetup } from './run-setup.ts';
import { canRestart, canTick, nextTimer } from './timers.ts';
import type { BrokerModel } from '../world/amqp/broker.ts';
import type { Effects } from '../world/effects/effects.ts';

// Shared action objects: the search takes millions of steps and would otherwise allocate one per candidate.
const STEP: Action[] = [];
const ARRIVE: Action[] = [];
const DELIVER: Action[] = [];
const RESTART: Action[] = [];
const stepOf = (proc: number): Action => (STEP[proc] ??= { kind: 'step', proc });
const deliveryTo = (proc: number): Action => (DELIVER[proc] ??= { kind: 'deliver', proc });
const arrivalOf = (proc: number): Action => (ARRIVE[proc] ??= { kind: 'arrive', proc });
const restartOf = (proc: number): Action => (RESTART[proc] ??= { kind: 'restart', proc });
const WAIT: Action = { kind: 'wait' };
const TICK: Action = { kind: 'tick' };

/**
 * `p` is ready at `now` to run its pending command: not a consumer awaiting a delivery (the broker acts next),
 * not a command that would block on the shop's systems (a relay waiting for an outbox row).
 * @example if (isReady(p, now, shop)) actions.push(stepOf(proc))
 */
export function isReady(p: Proc, now: number, shop: Effects): boolean {
  return p.live && !p.local.awaiting && p.wakesAt() <= now && !shop.blocks(p.local.command!);
}

/**
 * The actions that make progress in `run` with these processes at `now`, on the shop's systems, broker and Redis
 * servers given.
 * @example progressOf(run, processes, now, shop.value, broker.value, redis.value) // [s0, a1, w]
 */
export function progressOf(run: RunSetup, processes: readonly Proc[], now: number, shop: Effects, broker: BrokerModel, redis: RedisServers): Action[] {
  const actions: Action[] = [];
  const count = processes.length;
  for (let proc = 0; proc < count; proc++) if (isReady(processes[proc], now, shop)) actions.push(stepOf(proc));
  const anyReady = actions.length > 0;
  let anyAwaiting = false;
  for (let proc = 0; proc < count; proc++) {
    const p = processes[proc];
    if (!p.arrived) actions.push(arrivalOf(proc));
    else if (canRestart(p, run.processes[proc], now)) actions.push(restartOf(proc));
    else if (p.live && p.local.awaiting) anyAwaiting = true;
  }
  let anyDelivery = false;
  if (anyAwaiting) {
    const deliverable = deliverableTags(broker);
    for (let proc = 0; proc < count; proc++) {
      if (canReceive(processes[proc], now, deliverable)) {
        actions.push(deliveryTo(proc));
        anyDelivery = true;
      }
    }
  }
  if (canTick(run.faults, now)) actions.push(TICK);
  // The broker pushes a message to an idle consumer at once: time passes only when nobody can act.
  else if (!anyReady && !anyDelivery && nextTimer(processes, run.processes, redis, now) !== null) actions.push(WAIT);
  return actions;
}
