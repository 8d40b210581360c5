// The coupon scenario in a test suite of one's own (walkthrough 8). In a project this file sits with the other
// tests; here test/walkthrough-examples.test.ts imports it, which runs these tests.
import { describe, expect, it } from 'vitest';
import { replay } from 'interleave';
import { expectHolds, expectViolation } from 'interleave/vitest';
import { coupon } from './coupon.ts';

describe('the SAVE10 coupon', () => {
  it('check-then-redeem discounts two orders', () => {
    const { violation } = expectViolation(coupon, { variant: 'check-then-redeem', property: 'coupon-used-once' });
    expect(violation.message).toBe('2 orders got the SAVE10 discount');
    // The token rebuilds the same counterexample; a scenario of one's own is handed to replay.
    expect(replay(violation.replay!, { scenarios: [coupon] }).violation).toEqual(violation);
  });

  it('getset discounts one, in every schedule', () => {
    const result = expectHolds(coupon, { variant: 'getset', mode: 'exhaustive' });
    expect(result.stats.exhaustive?.exhausted).toBe(true);
  });
});
