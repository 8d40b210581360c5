// A scenario of one's own, written against the package's public entry points only (walkthrough 8): two checkout
// requests for the same cart (下单, submitted twice) redeem one single-use coupon. test/walkthrough-examples.test.ts
// imports and checks it, so the code the walkthrough shows cannot rot.
import { always, ask, defineScenario, intValue, protocolSetup, sometimes, type Property, type ReplyEvent, type Variant } from 'interleave';
import type { AnyStateMachine } from 'xstate';

/** What a checkout request works on: the key of the coupon it redeems. */
export interface Redemption {
  /** The coupon's Redis key. */
  readonly coupon: string;
}

/** The coupon's key: `unused` until some order redeems it, then `used`. */
export const COUPON = 'coupon:SAVE10';
/** How many orders the coupon discounted (one `INCR` each). */
export const DISCOUNTS = 'discounts:SAVE10';

/** True when the reply says the coupon was still `unused` (GET's value, or GETSET's old value). */
const wasUnused = ({ event }: { event: ReplyEvent }) => event.value === 'unused';

/** Buggy: read the coupon; if it is unused, mark it used and discount the order. */
export const checkThenRedeem = protocolSetup<Redemption>().createMachine({
  id: 'check-then-redeem',
  context: ({ input }) => input,
  initial: 'read',
  states: {
    read: {
      entry: ask<Redemption>((c) => ['GET', c.coupon]),
      on: { reply: [{ guard: wasUnused, target: 'markUsed' }, { target: 'done' }] },
    },
    markUsed: { entry: ask<Redemption>((c) => ['SET', c.coupon, 'used']), on: { reply: 'discount' } },
    discount: { entry: ask<Redemption>(() => ['INCR', DISCOUNTS]), on: { reply: 'done' } },
    done: { type: 'final' },
  },
});

/** Fixed: mark the coupon used and learn what it was before, in one atomic GETSET. */
export const swapThenRedeem = protocolSetup<Redemption>().createMachine({
  id: 'swap-then-redeem',
  context: ({ input }) => input,
  initial: 'swap',
  states: {
    swap: {
      entry: ask<Redemption>((c) => ['GETSET', c.coupon, 'used']),
      on: { reply: [{ guard: wasUnused, target: 'discount' }, { target: 'done' }] },
    },
    discount: { entry: ask<Redemption>(() => ['INCR', DISCOUNTS]), on: { reply: 'done' } },
    done: { type: 'final' },
  },
});

/** At most one discounted order — and, so that a shop that never discounts cannot pass, at least one. */
export const couponProperties: Property[] = [
  always(
    'coupon-used-once', 'a single-use coupon discounts at most one order',
    (w) => intValue(w, DISCOUNTS) <= 1,
    (w) => `${intValue(w, DISCOUNTS)} orders got the SAVE10 discount`,
    [DISCOUNTS],
  ),
  sometimes('reaches-discount', 'some order gets the discount', (w) => intValue(w, DISCOUNTS) === 1, [DISCOUNTS]),
];

/** One variant: `requests` checkout requests R1, R2, … all running `machine` against an unused coupon. */
function couponVariant(name: string, summary: string, expected: Variant['expected'], machine: AnyStateMachine): Variant {
  return {
    name, summary, expected,
    build: (params) => ({
      processes: Array.from({ length: params.requests }, (_, i) => ({ name: `R${i + 1}`, machine, input: { coupon: COUPON } })),
      setup: [['SET', COUPON, 'unused']],
      properties: couponProperties,
    }),
  };
}

/** The scenario: its parameters, its fault budget (the defaults here) and its variants, buggy first. */
export const coupon = defineScenario({
  name: 'coupon',
  summary: 'checkout requests for one cart redeem a single-use coupon (下单)',
  source: 'walkthrough 8',
  params: { requests: { default: 2, min: 1, max: 4, description: 'checkout requests for the same cart' } },
  variants: [
    couponVariant('check-then-redeem', 'GET the coupon, then SET it used', 'violates', checkThenRedeem),
    couponVariant('getset', 'GETSET the coupon to used, and look at what it was', 'holds', swapThenRedeem),
  ],
});
