/**
 * Steps a protocol machine with xstate's own pure transition functions — the machine's `getInitialSnapshot`
 * and `transition`, which xstate's `initialTransition`/`transition` call — and reads off what a driver needs:
 * the command the machine now waits on, and whether it is done, awaiting a delivery, or inside its critical
 * section, holding it to the command/reply contract. xstate's `transition()` builds a throwaway actor as its
 * scope on every call, which costs more than the step itself; here each machine gets one inert scope, made
 * once, whose action executor collects the actions instead of running them (protocol machines spawn no
 * actors, so nothing lives in the scope between steps). The checker memoises these steps (MachineCache); the
 * real runner takes them one by one.
 */
import { createActor, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine, type ExecutableActionObject } from 'xstate';
import { AWAITING, CRITICAL, type Command, type CommandEvent, type ProtocolEvent } from '../../models/protocol.ts';

/** A protocol machine's state as its driver reads it. */
export interface ProtocolState {
  /** The xstate snapshot. */
  readonly snapshot: AnyMachineSnapshot;
  /** The command the machine emitted and waits a reply for; `null` once it is final or while it awaits a delivery. */
  readonly command: Command | null;
  /** True once the machine reached a final state. */
  readonly done: boolean;
  /** True while the machine waits for a broker delivery (its state carries the `awaiting` tag). */
  readonly awaiting: boolean;
  /** True while the state carries the `critical` tag. */
  readonly critical: boolean;
}

const steppers = new WeakMap<AnyStateMachine, MachineStepper>();

/**
 * The stepper of one machine.
 * @example
 * const stepper = MachineStepper.of(machine);
 * let state = stepper.start(input);                                    // state.command: ['SET', 'lock', 'A-1', 'NX', 'PX', 5000]
 * state = stepper.next(state.snapshot, { type: 'reply', value: 'OK' }); // on to the next command
 */
export class MachineStepper {
  private readonly scope: AnyActorScope;
  /** The actions of the step in progress, as xstate hands them to the scope's executor. */
  private readonly actions: ExecutableActionObject[] = [];

  /** Wraps `machine`, whose states emit `command` events and accept protocol events. */
  constructor(readonly machine: AnyStateMachine) {
    // As xstate's own inert scope: an actor that never starts, and nothing the scope does reaches outside it.
    const self = createActor(machine);
    const nothing = () => undefined;
    this.scope = {
      self, id: '', sessionId: '', system: self.system, logger: nothing, defer: nothing, emit: nothing, stopChild: nothing,
      actionExecutor: (action) => { this.actions.push(action); },
    };
  }

  /**
   * The one stepper of `machine` (made on first use), so its scope is made once however many processes run it.
   * @example MachineStepper.of(machine).start(input).command // ['NOW']
   */
  static of(machine: AnyStateMachine): MachineStepper {
    let stepper = steppers.get(machine);
    if (!stepper) steppers.set(machine, (stepper = new MachineStepper(machine)));
    return stepper;
  }

  /**
   * The state a fresh process with `input` starts in.
   * @example stepper.start({ token: 'A-1', lockKey: 'lock' }).command // ['SET', 'lock', 'A-1', 'NX', 'PX', 5000]
   */
  start(input: unknown): ProtocolState {
    this.actions.length = 0;
    return this.read(this.machine.getInitialSnapshot(this.scope, input));
  }

  /**
   * The state after `from` receives `event` (a reply, a delivery, or the closing of its channel).
   * @example stepper.next(state.snapshot, { type: 'reply', value: 1 }).done // true
   */
  next(from: AnyMachineSnapshot, event: ProtocolEvent): ProtocolState {
    this.actions.length = 0;
    return this.read(this.machine.transition(from, event, this.scope));
  }

  /** What the step's snapshot and collected actions say, once they keep the contract. */
  private read(snapshot: AnyMachineSnapshot): ProtocolState {
    let command: Command | null = null;
    let commands = 0;
    for (const action of this.actions) {
      if (action.type !== 'xstate.emit') continue;
      command = (action.params as { event: CommandEvent }).event.cmd;
      commands++;
    }
    const done = snapshot.status === 'done';
    const awaiting = snapshot.hasTag(AWAITING);
    if (commands > 1) throw this.broken(snapshot, `emits ${commands} commands at once`);
    if (awaiting && commands > 0) throw this.broken(snapshot, 'both sends a command and awaits a delivery');
    if (!done && !awaiting && commands === 0) throw this.broken(snapshot, 'waits but emits no command');
    return { snapshot, command, done, awaiting, critical: snapshot.hasTag(CRITICAL) };
  }

  private broken(snapshot: AnyMachineSnapshot, what: string): ModelError {
    return new ModelError(`${this.machine.id}: state ${JSON.stringify([snapshot.value, snapshot.context])} ${what}`);
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
