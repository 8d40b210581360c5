import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { afterOnClock, perfectClock, readClock, trueTimeWhen, type ClockSpec } from './clock.ts';

describe('clock', () => {
  it('reads true time plus offset, drift and jumps', () => {
    const clock: ClockSpec = { offset: -20, driftPpm: 100_000, jumps: [{ at: 1000, by: 500 }] };
    expect(readClock(clock, 0)).toBe(-20);
    expect(readClock(clock, 999)).toBe(999 - 20 + 99);
    expect(readClock(clock, 1000)).toBe(1000 - 20 + 100 + 500);
  });

  it('inverts: the earliest true time at which a reading is reached', () => {
    expect(trueTimeWhen(perfectClock, 5000, 0)).toBe(5000);
    expect(afterOnClock({ offset: 7, driftPpm: 0, jumps: [] }, 100, 50)).toBe(150);
    // A forward jump makes the reading arrive at the jump.
    expect(trueTimeWhen({ offset: 0, driftPpm: 0, jumps: [{ at: 100, by: 1000 }] }, 600, 0)).toBe(100);
    // A backward jump delays it.
    expect(trueTimeWhen({ offset: 0, driftPpm: 0, jumps: [{ at: 100, by: -50 }] }, 120, 0)).toBe(170);
  });

  it('trueTimeWhen is the least t with readClock(t) >= reading', () => {
    const clockArb = fc.record({
      offset: fc.integer({ min: -1000, max: 1000 }),
      driftPpm: fc.integer({ min: -500_000, max: 500_000 }),
      jumps: fc.array(fc.record({ at: fc.integer({ min: 0, max: 5000 }), by: fc.integer({ min: -500, max: 500 }) }), { maxLength: 2 })
        .map((js) => [...js].sort((a, b) => a.at - b.at)),
    });
    fc.assert(fc.property(clockArb, fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 4000 }), (clock, from, ms) => {
      const target = readClock(clock, from) + ms;
      const t = trueTimeWhen(clock, target, from);
      expect(readClock(clock, t)).toBeGreaterThanOrEqual(target);
      if (t > from) expect(readClock(clock, t - 1)).toBeLessThan(target);
    }), { seed: 1, numRuns: 500 });
  });
});
