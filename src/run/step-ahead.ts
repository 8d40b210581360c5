/**
 * Stepping a machine ahead while its command is on the wire. A process of a real run spends most of a command
 * waiting for the server, and then a machine step (xstate's transition, tens of µs) before it can send the
 * next one. Most states get the same reply every time — `SET … NX` gets `OK`, a compare-and-delete gets `1` —
 * so while a command is in flight the process computes the step for the reply its state got the last two
 * times, and when that reply comes the step is already done. It is the same step: xstate's transition is a
 * pure function of the snapshot and the event (which the checker's memo relies on too), and a guess is used
 * only when the reply is that very value (a string, number or nil); any other reply is stepped when it comes.
 * What a state got is remembered per machine, across processes and iterations. It saves time while the
 * process would otherwise wait for the server; where the CPU is the bottleneck it only moves a step earlier,
 * and a wrong guess costs one step.
 */
import type { AnyStateMachine } from 'xstate';
import type { MachineStepper, ProtocolState } from '../sim/machine-stepper.ts';

/** A step taken ahead: the state the machine is in once it gets `reply`. */
export interface Guess {
  /** The reply guessed. */
  readonly reply: string | number | null;
  /** The state after it. */
  readonly state: ProtocolState;
}

/** The replies one state got: the last, and whether it was the same as the one before. */
interface Seen {
  last: unknown;
  repeated: boolean;
}

const forecasts = new WeakMap<AnyStateMachine, StepAhead>();

/**
 * The step-ahead of one machine.
 * @example
 * const ahead = StepAhead.of(stepper);
 * const pending = send(state.command);   // on the wire
 * const guess = ahead.guess(state);      // meanwhile
 * state = ahead.reply(state, await pending, guess);
 */
export class StepAhead {
  /** By state value: what the state's command got. */
  private readonly seen = new Map<string, Seen>();

  private constructor(private readonly stepper: MachineStepper) {}

  /**
   * The step-ahead of `stepper`'s machine (made on first use), shared by every process that runs it.
   * @example StepAhead.of(MachineStepper.of(machine))
   */
  static of(stepper: MachineStepper): StepAhead {
    let ahead = forecasts.get(stepper.machine);
    if (!ahead) forecasts.set(stepper.machine, (ahead = new StepAhead(stepper)));
    return ahead;
  }

  /**
   * The step for the reply `from`'s command most likely gets (the one its state got the last two times), taken
   * now while the command is on the wire; `null` when no reply is likely, or when the step throws (it is taken
   * again, and throws, if that reply comes).
   * @example ahead.guess(state) // { reply: 'OK', state: … } once SET NX got OK twice
   */
  guess(from: ProtocolState): Guess | null {
    const seen = this.seen.get(keyOf(from));
    if (seen === undefined || !seen.repeated) return null;
    const reply = seen.last;
    if (reply !== null && typeof reply !== 'string' && typeof reply !== 'number') return null;
    try {
      return { reply, state: this.stepper.next(from.snapshot, { type: 'reply', value: reply }) };
    } catch {
      return null;
    }
  }

  /**
   * The state after `from` gets `reply`: the guess's state when it guessed that reply, else the step taken now.
   * @example ahead.reply(state, 'OK', guess)
   */
  reply(from: ProtocolState, reply: unknown, guess: Guess | null): ProtocolState {
    const key = keyOf(from);
    const seen = this.seen.get(key);
    if (seen === undefined) this.seen.set(key, { last: reply, repeated: false });
    else {
      seen.repeated = Object.is(seen.last, reply);
      seen.last = reply;
    }
    if (guess !== null && Object.is(guess.reply, reply)) return guess.state;
    return this.stepper.next(from.snapshot, { type: 'reply', value: reply });
  }
}

/** A state's key: its value (a string for a flat machine). */
function keyOf(state: ProtocolState): string {
  const value: unknown = state.snapshot.value;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
