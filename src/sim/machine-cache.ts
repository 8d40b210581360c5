/**
 * Runs protocol machines with xstate's pure transitions (MachineStepper), memoised. xstate computes a
 * transition at tens of thousands per second; a checker takes millions of steps over a few hundred distinct
 * local states, so each distinct (snapshot, reply) is computed once and the result shared. Snapshots are
 * interned by their state value and context, so equal local states are the same object.
 */
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import type { Command, ProtocolEvent } from '../../models/protocol.ts';
import type { Delivery } from '../world/amqp/types.ts';
import { fingerprintOf, type Fingerprint } from './hash64.ts';
import { MachineStepper, type ProtocolState } from './machine-stepper.ts';

/** A process's local state after a transition (its snapshot interned: equal states are the same object). */
export interface LocalState extends ProtocolState {
  /** Canonical key of the snapshot (state value and context). */
  readonly key: string;
  /** The fingerprint of `key`, for a search state's (computed once per local state). */
  readonly hash: Fingerprint;
}

const MAX_INTERNED = 100_000;
const MAX_SUCCESSORS = 256;

/** A local state as the cache keeps it: with its successors by reply, so a step is one map lookup. */
class CachedState implements LocalState {
  readonly successors = new Map<unknown, CachedState>();
  readonly hash: Fingerprint;
  constructor(
    readonly snapshot: AnyMachineSnapshot,
    readonly command: Command | null,
    readonly done: boolean,
    readonly awaiting: boolean,
    readonly critical: boolean,
    readonly key: string,
  ) {
    this.hash = fingerprintOf(key);
  }
}

/** The memoised stepper of one machine. */
export class MachineCache {
  private readonly interned = new Map<string, CachedState>();
  private readonly starts = new Map<string, CachedState>();
  private readonly stepper: MachineStepper;

  /** Wraps `machine`, whose states emit `command` events and accept `reply` events. */
  constructor(readonly machine: AnyStateMachine) {
    this.stepper = MachineStepper.of(machine);
  }

  /** The local state a fresh process with `input` starts in. */
  start(input: unknown): LocalState {
    const inputKey = JSON.stringify(input);
    let state = this.starts.get(inputKey);
    if (!state) {
      state = this.intern(this.stepper.start(input));
      this.starts.set(inputKey, state);
    }
    return state;
  }

  /** The local state after `from` receives `reply`. */
  reply(from: LocalState, reply: unknown): LocalState {
    // Strings, numbers and nil are map keys as they are; an object reply (an error) by its JSON text.
    const key = typeof reply === 'object' && reply !== null ? `\u0000${JSON.stringify(reply)}` : reply;
    return this.next(from, key, { type: 'reply', value: reply });
  }

  /** The local state after `from`, awaiting, receives `delivery`. */
  deliver(from: LocalState, delivery: Delivery): LocalState {
    return this.next(from, `\u0001${JSON.stringify(delivery)}`, { type: 'delivery', delivery });
  }

  /** The local state after `from`, awaiting, hears that the broker closed its channel. */
  channelClosed(from: LocalState): LocalState {
    return this.next(from, '\u0002closed', { type: 'channel-closed' });
  }

  private next(from: LocalState, key: unknown, event: ProtocolEvent): LocalState {
    const successors = (from as CachedState).successors;
    let state = successors.get(key);
    if (!state) {
      state = this.intern(this.stepper.next(from.snapshot, event));
      // A reply such as a clock reading can take endlessly many values; past a bound they are not remembered.
      if (successors.size < MAX_SUCCESSORS) successors.set(key, state);
    }
    return state;
  }

  private intern({ snapshot, command, done, awaiting, critical }: ProtocolState): CachedState {
    const key = JSON.stringify([snapshot.value, snapshot.context]);
    const known = this.interned.get(key);
    if (known) return known;
    const state = new CachedState(snapshot, command, done, awaiting, critical, key);
    // A machine that keeps clock readings in its context has unboundedly many local states: forget the
    // interning table now and then (states already handed out stay valid), so memory stays bounded
    // (together with the bound on remembered successors).
    if (this.interned.size >= MAX_INTERNED) this.interned.clear();
    this.interned.set(key, state);
    return state;
  }
}
