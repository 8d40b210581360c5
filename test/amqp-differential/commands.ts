/**
 * The abstract commands the AMQP differential test runs on every backend, and their random generation.
 *
 * A sequence works on two queues — `q` (dead-lettering to `dlq`) and `dlq` — a publisher channel that never
 * closes, and three consumer channel slots: slots 0 and 1 consume from `q`, slot 2 from `dlq` (one queue per
 * slot, see observation.ts). A consume on a closed slot opens a new channel (a worker coming back); other
 * commands on a closed slot show the client library's refusal. A command names deliveries abstractly (the i-th
 * outstanding one, the i-th received one — possibly settled already, or auto-acked — or a tag never issued),
 * so the same sequence means the same thing on every backend; a settle of an outstanding delivery names its
 * slot among those holding one (`busy#k`), so that it mostly settles something.
 */
import fc from 'fast-check';

/** Consumer channel slots. */
export const SLOTS = 3;

/** The two queues of a sequence, by role. */
export type QueueRole = 'q' | 'dlq';

/**
 * The queue slot `slot` consumes from.
 * @example slotQueue(2) // 'dlq'
 */
export const slotQueue = (slot: number): QueueRole => (slot === SLOTS - 1 ? 'dlq' : 'q');

/** Which delivery an ack, nack or reject names. */
export type Target =
  | { readonly kind: 'outstanding'; readonly index: number }
  | { readonly kind: 'received'; readonly index: number }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'all' };

/** One step of a sequence. */
export type Command =
  | { readonly op: 'publish'; readonly queue: QueueRole }
  | { readonly op: 'prefetch'; readonly slot: number; readonly count: number }
  /**
   * On a closed slot, first opens a new channel (a worker coming back); `prefetch`, unless null, is set on the
   * channel just before (`basic.qos` then `basic.consume`).
   */
  | { readonly op: 'consume'; readonly slot: number; readonly noAck: boolean; readonly prefetch: number | null }
  | { readonly op: 'cancel'; readonly slot: number; readonly index: number }
  | { readonly op: 'ack'; readonly slot: number; readonly target: Target; readonly multiple: boolean }
  | { readonly op: 'nack'; readonly slot: number; readonly target: Target; readonly multiple: boolean; readonly requeue: boolean }
  | { readonly op: 'reject'; readonly slot: number; readonly target: Exclude<Target, { kind: 'all' }>; readonly requeue: boolean }
  | { readonly op: 'close'; readonly slot: number };

const slot = fc.integer({ min: 0, max: SLOTS - 1 });
const index = fc.nat(5);
const single: fc.Arbitrary<Exclude<Target, { kind: 'all' }>> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('outstanding' as const), index }), weight: 12 },
  { arbitrary: fc.record({ kind: fc.constant('received' as const), index }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'unknown' as const }), weight: 1 },
);
/** True one time in `n`. */
const oneIn = (n: number) => fc.integer({ min: 1, max: n }).map((k) => k === 1);
const target: fc.Arbitrary<Target> = fc.oneof({ arbitrary: single, weight: 9 }, { arbitrary: fc.constant({ kind: 'all' as const }), weight: 1 });

/** One random command; the weights keep queues busy, consumers mostly limited, and most acks valid. */
export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('publish' as const), queue: fc.constantFrom<QueueRole>('q', 'q', 'q', 'dlq') }), weight: 7 },
  { arbitrary: fc.record({ op: fc.constant('prefetch' as const), slot, count: fc.integer({ min: 0, max: 3 }) }), weight: 1 },
  {
    arbitrary: fc.record({ op: fc.constant('consume' as const), slot, noAck: oneIn(6), prefetch: fc.constantFrom(null, 1, 1, 2, 3) }),
    weight: 4,
  },
  { arbitrary: fc.record({ op: fc.constant('cancel' as const), slot, index }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('ack' as const), slot, target, multiple: oneIn(4) }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('nack' as const), slot, target, multiple: oneIn(4), requeue: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('reject' as const), slot, target: single, requeue: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('close' as const), slot }), weight: 2 },
);

/**
 * Random sequences of up to `maxLength` commands.
 * @example fc.sample(sequenceArb(20), 1)
 */
export const sequenceArb = (maxLength: number): fc.Arbitrary<Command[]> => fc.array(commandArb, { minLength: 1, maxLength, size: 'max' });

/**
 * A command as one short line, for counterexamples.
 * @example describeCommand({ op: 'ack', slot: 1, target: { kind: 'outstanding', index: 0 }, multiple: false }) // 'busy#1 ack outstanding#0'
 */
export function describeCommand(command: Command): string {
  const { op } = command;
  const flags = (pairs: Record<string, boolean>) => Object.entries(pairs).filter(([, on]) => on).map(([name]) => ` ${name}`).join('');
  const named = (t: Target) => (t.kind === 'outstanding' || t.kind === 'received' ? `${t.kind}#${t.index}` : t.kind);
  const on = (c: Command & { slot: number; target: Target }) => (c.target.kind === 'outstanding' ? `busy#${c.slot}` : `s${c.slot}`);
  switch (op) {
    case 'publish': return `publish to ${command.queue}`;
    case 'prefetch': return `s${command.slot} prefetch ${command.count}`;
    case 'consume': return `s${command.slot} consume${flags({ noAck: command.noAck })}${command.prefetch === null ? '' : ` prefetch ${command.prefetch}`}`;
    case 'cancel': return `s${command.slot} cancel consumer#${command.index}`;
    case 'ack': return `${on(command)} ack ${named(command.target)}${flags({ multiple: command.multiple })}`;
    case 'nack': return `${on(command)} nack ${named(command.target)}${flags({ multiple: command.multiple, requeue: command.requeue })}`;
    case 'reject': return `${on(command)} reject ${named(command.target)}${flags({ requeue: command.requeue })}`;
    case 'close': return `s${command.slot} close`;
  }
}
