/**
 * Runs protocol machines with xstate's pure `initialTransition`/`transition`, memoised. xstate computes a
 * transition at tens of thousands per second; a checker takes millions of steps over a few hundred distinct
 * local states, so each distinct (snapshot, reply) is computed once and the result shared. Snapshots are
 * interned by their state value and context, so equal local states are the same object.
 */
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { AWAITING, CRITICAL, type Command, type CommandEvent, type ProtocolEvent } from '../../models/protocol.ts';
import type { Delivery } from '../world/amqp/types.ts';

/** A process's local state after a transition: its snapshot and the command it now waits on, if any. */
export interface LocalState {
  /** The xstate snapshot (interned: equal states are the same object). */
  readonly snapshot: AnyMachineSnapshot;
  /** The command the machine emitted and waits a reply for; `null` once the machine is final. */
  readonly command: Command | null;
  /** True once the machine reached a final state. */
  readonly done: boolean;
  /** True while the machine waits for a broker delivery (its state carries the `awaiting` tag). */
  readonly awaiting: boolean;
  /** True while the state carries the `critical` tag. */
  readonly critical: boolean;
  /** Canonical key of the snapshot (state value and context). */
  readonly key: string;
}

const MAX_INTERNED = 100_000;
const MAX_SUCCESSORS = 256;

/** A local state as the cache keeps it: with its successors by reply, so a step is one map lookup. */
class CachedState implements LocalState {
  readonly successors = new Map<unknown, CachedState>();
  constructor(
    readonly snapshot: AnyMachineSnapshot,
    readonly command: Command | null,
    readonly done: boolean,
    readonly awaiting: boolean,
    readonly critical: boolean,
    readonly key: string,
  ) {}
}

/** The memoised stepper of one machine. */
export class MachineCache {
  private readonly interned = new Map<string, CachedState>();
  private readonly starts = new Map<string, CachedState>();

  /** Wraps `machine`, whose states emit `command` events and accept `reply` events. */
  constructor(readonly machine: AnyStateMachine) {}

  /** The local state a fresh process with `input` starts in. */
  start(input: unknown): LocalState {
    const inputKey = JSON.stringify(input);
    let state = this.starts.get(inputKey);
    if (!state) {
      const [snapshot, actions] = initialTransition(this.machine, input);
      state = this.intern(snapshot, actions);
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
      const [snapshot, actions] = transition(this.machine, from.snapshot, event);
      state = this.intern(snapshot, actions);
      // A reply such as a clock reading can take endlessly many values; past a bound they are not remembered.
      if (successors.size < MAX_SUCCESSORS) successors.set(key, state);
    }
    return state;
  }

  private intern(snapshot: AnyMachineSnapshot, actions: readonly { type: string; params?: unknown }[]): CachedState {
    const key = JSON.stringify([snapshot.value, snapshot.context]);
    const commands = actions
      .filter((a) => a.type === 'xstate.emit')
      .map((a) => (a.params as { event: CommandEvent }).event.cmd);
    const done = snapshot.status === 'done';
    const awaiting = snapshot.hasTag(AWAITING);
    if (commands.length > 1) throw new ModelError(`${this.machine.id}: state ${key} emits ${commands.length} commands at once`);
    if (awaiting && commands.length > 0) throw new ModelError(`${this.machine.id}: state ${key} both sends a command and awaits a delivery`);
    if (!done && !awaiting && commands.length === 0) throw new ModelError(`${this.machine.id}: state ${key} waits but emits no command`);
    const known = this.interned.get(key);
    if (known) return known;
    const state = new CachedState(snapshot, commands[0] ?? null, done, awaiting, snapshot.hasTag(CRITICAL), key);
    // A machine that keeps clock readings in its context has unboundedly many local states: forget the
    // interning table now and then (states already handed out stay valid), so memory stays bounded
    // (together with the bound on remembered successors).
    if (this.interned.size >= MAX_INTERNED) this.interned.clear();
    this.interned.set(key, state);
    return state;
  }
}

/**
 * A protocol machine that breaks the command/reply contract (reported with exit code 2).
 * @example try { check(myScenario) } catch (e) { if (e instanceof ModelError) console.error(e.message) }
 */
export class ModelError extends Error {
  /** Always `ModelError`. */
  override readonly name = 'ModelError';
}
