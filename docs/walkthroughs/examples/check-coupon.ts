// The coupon scenario checked from a script (walkthrough 8): npx tsx docs/walkthroughs/examples/check-coupon.ts
// Each variant is searched breadth-first over every schedule; a counterexample is printed step by step.
import { check } from 'interleave';
import { coupon } from './coupon.ts';

for (const { name } of coupon.variants) {
  const result = check(coupon, { variant: name, mode: 'exhaustive' });
  const states = result.stats.exhaustive?.states;
  if (result.violation) {
    const { property, message, steps } = result.violation;
    console.log(`${name}: ${property} violated (${message}), ${steps.length} steps:`);
    for (const step of steps) console.log(`  t=${step.t}  ${step.node}  ${step.text}`);
  } else {
    console.log(`${name}: no violation in any schedule (${states} states); reached ${result.reached.join(', ')}`);
  }
}
