/**
 * The contract between a protocol machine and whatever runs it (the checker or a real driver): a state that
 * needs Redis or the clock emits a `command` event on entry and waits for the matching `reply`. The machine
 * never performs I/O itself, so one machine serves both worlds.
 */
import { emit, setup, type MachineContext } from 'xstate';
import type { RedisCommand } from '../src/world/redis/types.ts';
import type { Delivery } from '../src/world/amqp/types.ts';

/** Ports that are not Redis: `['NOW']` answers the node's clock reading, `['SLEEP', ms]` answers after `ms` on it. */
export type ClockCommand = readonly ['NOW'] | readonly ['SLEEP', number];

/** Anything a protocol machine may ask of its environment. */
export type Command = RedisCommand | ClockCommand;

/** The event a machine emits to ask for a command. */
export interface CommandEvent {
  /** Always `command`. */
  readonly type: 'command';
  /** The command to run, e.g. `['GET', 'stock']` or `['NOW']`. */
  readonly cmd: Command;
}

/** The event the environment sends back with the command's reply (Redis reply, clock reading, or null). */
export interface ReplyEvent {
  /** Always `reply`. */
  readonly type: 'reply';
  /** The command's reply: a Redis reply, a clock reading, or `null`. */
  readonly value: unknown;
}

/**
 * An entry action that emits `cmd(context)` as a command event (in a consumer, `ask<C, ProtocolEvent>`).
 * @example entry: ask(({ lockKey }) => ['GET', lockKey])
 */
export function ask<C extends MachineContext, E extends ProtocolEvent = ReplyEvent>(cmd: (context: C) => Command) {
  return emit<C, E, undefined, E, CommandEvent>(({ context }) => ({ type: 'command', cmd: cmd(context) }));
}

/**
 * xstate's `setup` with the protocol's event types filled in: a machine whose context (and input) is `C`,
 * which receives `reply` events and emits `command` events.
 * @example protocolSetup<{ token: string }>().createMachine({ context: ({ input }) => input, initial: 'acquire', states: {} })
 */
export function protocolSetup<C extends MachineContext>() {
  return setup({ types: {} as { context: C; input: C; events: ReplyEvent; emitted: CommandEvent } });
}

/**
 * `protocolSetup` for a consumer: its machine also receives `delivery` events (use `ask<C, ProtocolEvent>`).
 * @example consumerSetup<{ tag: number }>().createMachine({ context: ({ input }) => input, initial: 'subscribe', states: {} })
 */
export function consumerSetup<C extends MachineContext>() {
  return setup({ types: {} as { context: C; input: C; events: ProtocolEvent; emitted: CommandEvent } });
}

/** The event the environment sends a consumer waiting in an `awaiting` state: one delivery from the broker. */
export interface DeliveryEvent {
  /** Always `delivery`. */
  readonly type: 'delivery';
  /** The delivery as the broker made it (tag, message id, payload, redelivered flag). */
  readonly delivery: Delivery;
}

/**
 * The event the environment sends a consumer waiting in an `awaiting` state whose channel the broker closed
 * (amqplib's channel `close` event): its subscription is gone, and it should subscribe again.
 */
export interface ChannelClosedEvent {
  /** Always `channel-closed`. */
  readonly type: 'channel-closed';
}

/** Every event a protocol machine receives. */
export type ProtocolEvent = ReplyEvent | DeliveryEvent | ChannelClosedEvent;

/**
 * The tag of a state that waits for a broker delivery instead of sending a command.
 * @example waiting: { tags: [AWAITING], on: { delivery: 'work' } }
 */
export const AWAITING = 'awaiting';

/**
 * The tag a state carries while its process believes it is inside the critical section.
 * @example work: { tags: [CRITICAL], entry: ask(() => ['GET', 'stock']), on: { reply: 'release' } }
 */
export const CRITICAL = 'critical';
