/**
 * Faults in a run: what is left of the fault budget, the faults that could land now (numbered, so that an
 * explorer can count them and take the k-th), and what a pause, a crash, a channel close or a clock jump does to
 * a process when it lands. A lost publish is its command run with the loss (see `Simulation.apply`).
 */
import type { Action, FaultBudget } from './actions.ts';
import { readClock } from './clock.ts';
import { dropChannel } from './deliveries.ts';
import type { RunEvent } from './events.ts';
import type { Part } from './part.ts';
import type { Proc } from './proc.ts';
import { isReady } from './progress.ts';
import type { FaultsLeft } from './state-fingerprint.ts';
import type { BrokerModel } from '../world/amqp/broker.ts';
import { isConfirmedPublish } from '../world/amqp/commands.ts';
import type { Effects } from '../world/effects/effects.ts';

/**
 * The whole of `budget`, as a run starts with it.
 * @example budgetOf(run.faults) // { pauses: 2, crashes: 1, losses: 0, closes: 0, jumps: 0 }
 */
export function budgetOf(budget: FaultBudget): FaultsLeft {
  const { pauses, crashes, losses, closes, jumps } = budget;
  return { pauses, crashes, losses, closes, jumps };
}

/**
 * What is left once one fault of `kind` lands: a new object, as branches of a search share the old one.
 * @example this.left = spend(this.left, 'pauses')
 */
export function spend(left: FaultsLeft, kind: keyof FaultsLeft): FaultsLeft {
  const { pauses, crashes, losses, closes, jumps } = left;
  // A literal of the same shape each time (no computed key), which V8 builds fast.
  return {
    pauses: pauses - +(kind === 'pauses'), crashes: crashes - +(kind === 'crashes'), losses: losses - +(kind === 'losses'),
    closes: closes - +(kind === 'closes'), jumps: jumps - +(kind === 'jumps'),
  };
}

/**
 * `p` is live, with a consumer on an open channel the broker could close.
 * @example if (left.closes > 0 && isSubscribed(p)) count++
 */
export function isSubscribed(p: Proc): boolean {
  return p.live && p.consumerTag !== null;
}

/**
 * `p`'s next step at `now` is a publish (with confirms, if `confirmed`), which could go wrong.
 * @example isPublishing(p, now, shop, true) // about to publish with confirms
 */
export function isPublishing(p: Proc, now: number, shop: Effects, confirmed: boolean): boolean {
  return isReady(p, now, shop) && p.local.command![0] === 'AMQP.PUBLISH' && (!confirmed || isConfirmedPublish(p.local.command!));
}

/**
 * How many faults could land now, with `left` of the budget, on these processes and `servers` Redis servers:
 * numbered 0 … count − 1, first a pause of each live process (while pauses are left), then a crash of each
 * (while crashes are left), then — while losses are left — a lost message of each process about to publish and
 * a lost confirm of each about to publish with confirms, then a channel close of each consumer (while closes
 * are left), then clock jumps. `faultAt` makes the k-th one.
 * @example for (let k = 0; k < faultCount(left, processes, now, shop, 1); k++) faultAt(k, 100, left, faults, processes, now, shop)
 */
export function faultCount(left: FaultsLeft, processes: readonly Proc[], now: number, shop: Effects, servers: number): number {
  if (left.pauses === 0 && left.crashes === 0 && left.losses === 0 && left.closes === 0 && left.jumps === 0) return 0;
  let others = left.jumps > 0 ? 2 * (processes.length + servers) : 0;
  for (let proc = 0; proc < processes.length; proc++) {
    const p = processes[proc];
    if (left.losses > 0 && isPublishing(p, now, shop, false)) others++;
    if (left.losses > 0 && isPublishing(p, now, shop, true)) others++;
    if (left.closes > 0 && isSubscribed(p)) others++;
  }
  let live = 0;
  for (const p of processes) if (p.live) live++;
  return (left.pauses > 0 ? live : 0) + (left.crashes > 0 ? live : 0) + others;
}

/**
 * The k-th fault of `faultCount`'s numbering; `ms` is the length if it is a pause, `budget` bounds a jump's size.
 * @example faultAt(0, 500, left, run.faults, processes, now, shop) // { kind: 'pause', proc: 0, ms: 500 }
 */
export function faultAt(k: number, ms: number, left: FaultsLeft, budget: FaultBudget, processes: readonly Proc[], now: number, shop: Effects): Action {
  const live: number[] = [];
  processes.forEach((p, i) => p.live && live.push(i));
  const pauses = left.pauses > 0 ? live.length : 0;
  const crashes = left.crashes > 0 ? live.length : 0;
  if (k < pauses) return { kind: 'pause', proc: live[k], ms };
  if (k < pauses + crashes) return { kind: 'crash', proc: live[k - pauses] };
  const procs = processes.map((_, proc) => proc);
  const losers = left.losses > 0 ? procs.filter((proc) => isPublishing(processes[proc], now, shop, false)) : [];
  const confirmers = left.losses > 0 ? procs.filter((proc) => isPublishing(processes[proc], now, shop, true)) : [];
  let rest = k - pauses - crashes;
  if (rest < losers.length) return { kind: 'lose', proc: losers[rest] };
  rest -= losers.length;
  if (rest < confirmers.length) return { kind: 'lose-confirm', proc: confirmers[rest] };
  rest -= confirmers.length;
  const subscribed = left.closes > 0 ? procs.filter((proc) => isSubscribed(processes[proc])) : [];
  if (rest < subscribed.length) return { kind: 'close', proc: subscribed[rest] };
  rest -= subscribed.length;
  // Jumps last: each node (processes, then Redis servers), forward then back.
  return { kind: 'jump', node: rest >> 1, by: rest % 2 === 0 ? budget.maxJumpMs : -budget.maxJumpMs };
}

/**
 * A pause of `ms` lands at `now` on `p` (process `proc`): it takes no step until the pause ends.
 * @example pause(this.procToWrite(proc), proc, 500, this.now, this.events)
 */
export function pause(p: Proc, proc: number, ms: number, now: number, events: RunEvent[] | null): void {
  p.pausedUntil = Math.max(p.pausedUntil, now + ms);
  events?.push({ kind: 'pause', t: now, proc, clock: readClock(p.clock, now), ms });
}

/**
 * A crash lands at `now` on `p` (process `proc`). Returns the version of `broker` the run holds now.
 * @example this.broker = crash(this.procToWrite(proc), proc, this.broker, this.now, this.events)
 */
export function crash(p: Proc, proc: number, broker: Part<BrokerModel>, now: number, events: RunEvent[] | null): Part<BrokerModel> {
  p.crashed = true;
  p.crashedAt = now;
  p.live = false;
  events?.push({ kind: 'crash', t: now, proc, clock: readClock(p.clock, now) });
  // Its connection drops: the broker closes the channel and requeues what it had not acked.
  const held = p.consumerTag !== null ? dropChannel(p, broker, now, events) : broker;
  p.consumerTag = null;
  p.channelClosed = false;
  return held;
}

/**
 * The broker closes the channel of `p` (process `proc`) at `now`; the process lives on, and hears of it when it
 * next awaits a delivery. Returns the version of `broker` the run holds now.
 * @example this.broker = closeChannel(this.procToWrite(proc), proc, this.broker, this.now, this.events)
 */
export function closeChannel(p: Proc, proc: number, broker: Part<BrokerModel>, now: number, events: RunEvent[] | null): Part<BrokerModel> {
  events?.push({ kind: 'close', t: now, proc, clock: readClock(p.clock, now) });
  const held = dropChannel(p, broker, now, events);
  p.consumerTag = null;
  p.channelClosed = true;
  return held;
}

/**
 * A clock jump lands at `now` on the clock of `p` (process `proc`): its readings move by `by`.
 * @example jumpClock(this.procToWrite(node), node, -5000, this.now, this.events)
 */
export function jumpClock(p: Proc, proc: number, by: number, now: number, events: RunEvent[] | null): void {
  p.clock = { ...p.clock, jumps: [...p.clock.jumps, { at: now, by }] };
  events?.push({ kind: 'jump', t: now, proc, clock: readClock(p.clock, now), by });
}
