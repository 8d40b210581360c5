// Stepping ahead while a command is on the wire (src/run/step-ahead.ts): a guess is only ever used for the very
// reply it guessed, and then it is the step the machine would have taken anyway. No servers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lockedMachine } from '../models/locked-machine.ts';
import { ownerCheckedLock } from '../models/owner-checked-lock.ts';
import { MachineStepper, type ProtocolState } from '../src/sim/machine-stepper.ts';
import { StepAhead } from '../src/run/step-ahead.ts';

const input = (token: string) => ({ name: 'A', token, lockKey: 'lock', ttlMs: 1000, attempt: 0, fence: null, acquiredAt: null, clock: null });
/** What a driver and a history see of a state. */
const seen = (state: ProtocolState) => ({ value: state.snapshot.value, context: state.snapshot.context, status: state.snapshot.status, command: state.command, done: state.done, awaiting: state.awaiting, critical: state.critical });

describe('StepAhead', () => {
  it('guesses a reply only once its state got it twice, and takes its step at once', () => {
    const machine = lockedMachine('ahead-1', ownerCheckedLock(), () => ({ work: { always: 'release' } }));
    const stepper = MachineStepper.of(machine);
    const ahead = StepAhead.of(stepper);
    expect(StepAhead.of(MachineStepper.of(machine))).toBe(ahead);
    const start = stepper.start(input('A-1'));
    expect(ahead.guess(start)).toBeNull();
    ahead.reply(start, 'OK', null);
    expect(ahead.guess(start)).toBeNull();
    ahead.reply(start, 'OK', null);
    const guess = ahead.guess(start)!;
    expect(guess.reply).toBe('OK');
    expect(seen(guess.state)).toEqual(seen(stepper.next(start.snapshot, { type: 'reply', value: 'OK' })));
    expect(ahead.reply(start, 'OK', guess)).toBe(guess.state);
  });

  it('steps anew for any other reply', () => {
    const machine = lockedMachine('ahead-2', ownerCheckedLock(), () => ({ work: { always: 'release' } }));
    const stepper = MachineStepper.of(machine);
    const ahead = StepAhead.of(stepper);
    const start = stepper.start(input('A-1'));
    ahead.reply(start, 'OK', null);
    ahead.reply(start, 'OK', null);
    const missed = ahead.guess(start)!;
    const contended = ahead.reply(start, null, missed);
    expect(contended).not.toBe(missed.state);
    expect(seen(contended)).toEqual(seen(stepper.next(start.snapshot, { type: 'reply', value: null })));
    expect(ahead.guess(start)).toBeNull();
  });

  it('never guesses an error reply', () => {
    const machine = lockedMachine('ahead-3', ownerCheckedLock(), () => ({ work: { always: 'release' } }));
    const stepper = MachineStepper.of(machine);
    const ahead = StepAhead.of(stepper);
    const start = stepper.start(input('A-1'));
    const error = { error: 'ERR' };
    ahead.reply(start, error, null);
    ahead.reply(start, error, null);
    expect(ahead.guess(start)).toBeNull();
  });

  it('drives a machine through any replies exactly as plain stepping does', () => {
    const machine = lockedMachine('ahead-4', ownerCheckedLock({ maxRetries: 2 }), () => ({ work: { always: 'release' } }));
    const stepper = MachineStepper.of(machine);
    const ahead = StepAhead.of(stepper);
    const reply = fc.constantFrom<unknown>('OK', null, 0, 1, { error: 'ERR' });
    fc.assert(fc.property(fc.array(reply, { minLength: 1, maxLength: 12 }), (replies) => {
      let plain = stepper.start(input('A-7'));
      let driven = plain;
      for (const value of replies) {
        if (plain.done) break;
        const guess = ahead.guess(driven);
        driven = ahead.reply(driven, value, guess);
        plain = stepper.next(plain.snapshot, { type: 'reply', value });
        expect(seen(driven)).toEqual(seen(plain));
      }
    }), { numRuns: 200 });
  });
});
