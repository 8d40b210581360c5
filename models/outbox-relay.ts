/**
 * The transactional outbox's relay (Richardson, "Pattern: Transactional outbox"): take the oldest unsent outbox
 * row (blocking while there is none), publish it with a publisher confirm, mark it sent, repeat. A crash or a
 * lost confirm between publish and mark publishes the row again, so consumers must deduplicate — the outbox
 * turns "maybe never" into "at least once", not "exactly once".
 */
import { assign, type AnyStateMachine } from 'xstate';
import { ask, protocolSetup, type ReplyEvent } from './protocol.ts';

/** The row the relay has in hand. */
export interface RelayContext {
  /** Outbox row id. */
  row: number;
  /** Its queue, body and message id. */
  message: readonly [queue: string, payload: string, messageId: string] | null;
}

const taken = assign<RelayContext, ReplyEvent, undefined, ReplyEvent, never>(({ event }) => {
  const [row, queue, payload, messageId] = event.value as [number, string, string, string];
  return { row, message: [queue, payload, messageId] as const };
});

/**
 * The relay machine; its input is {@link IDLE_RELAY}.
 * @example { name: 'relay', machine: outboxRelay, input: IDLE_RELAY, restart: true }
 */
export const outboxRelay: AnyStateMachine = protocolSetup<RelayContext>().createMachine({
  id: 'outbox-relay',
  context: ({ input }) => input,
  initial: 'take',
  states: {
    take: { entry: ask<RelayContext>(() => ['DB.OUTBOX_TAKE']), on: { reply: { target: 'publish', actions: taken } } },
    publish: {
      entry: ask<RelayContext>((c) => ['AMQP.PUBLISH', ...c.message!, 1]),
      // No confirm (a timeout): the row stays unsent and is taken, and published, again.
      on: { reply: [{ guard: ({ event }) => event.value === 'ack', target: 'mark' }, { target: 'take' }] },
    },
    mark: { entry: ask<RelayContext>((c) => ['DB.OUTBOX_MARK', c.row]), on: { reply: 'take' } },
  },
});

/**
 * The relay's input: nothing in hand.
 * @example { name: 'relay', machine: outboxRelay, input: IDLE_RELAY, restart: true }
 */
export const IDLE_RELAY: RelayContext = { row: 0, message: null };
