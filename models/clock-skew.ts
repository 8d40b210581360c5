/**
 * Scenario `clock-skew` — the inventory race of the reference article (§5) under a lock whose expiry is decided
 * on the clients' clocks: the Redis documentation's old timestamp lock (`SETNX` + `GETSET`). It breaks only when
 * two clients' clocks are further apart than the lock's timeout, so it has a skew threshold, which exhaustive
 * search finds: `interleave threshold clock-skew --variant timestamp-lock --bound max-skew`. The fix keeps
 * time on one clock, the server's: `SET … NX PX` (the owner-checked lock), which no client offset can break.
 * No pauses and no crashes: clocks alone decide.
 */
import type { AnyStateMachine } from 'xstate';
import { lockClients } from './lock-client.ts';
import { lockedMachine } from './locked-machine.ts';
import { ownerCheckedLock } from './owner-checked-lock.ts';
import { timestampLock } from './timestamp-lock.ts';
import { buyerParams, plainSection, STOCK_KEYS, type BuyerContext } from './stock-section.ts';
import { defineScenario, type Variant } from '../src/scenario.ts';
import { noOversell } from '../properties/no-oversell.ts';
import { mutualExclusion } from '../properties/mutual-exclusion.ts';

const KEYS = { lock: 'lock:stock', ...STOCK_KEYS } as const;

/** A variant whose buyers run `machine` and must neither oversell nor share the lock. */
function lockVariant(name: string, summary: string, expected: Variant['expected'], machine: AnyStateMachine): Variant {
  return {
    name, summary, expected,
    build: (params, prng) => ({
      processes: lockClients<BuyerContext>(machine, params.buyers, { lockKey: KEYS.lock, ttlMs: params.ttl }, prng, { stock: null }),
      setup: [['SET', KEYS.stock, params.stock]],
      properties: [...noOversell(KEYS, params.stock), ...mutualExclusion()],
    }),
  };
}

/**
 * The clock-skew scenario.
 * @example threshold(clockSkew, { variant: 'timestamp-lock', bound: 'max-skew' }).threshold // 2501
 */
export const clockSkew = defineScenario({
  name: 'clock-skew',
  summary: 'buyers under a lock whose expiry each client judges on its own clock',
  source: 'reference article §5; Redis docs, SETNX "Handling deadlocks" (the timestamp lock)',
  // Clocks within ±3 s of true time: two of them may be 6 s apart, more than the 5 s timeout.
  faults: { pauses: 0, crashes: 0, maxSkewMs: 3000 },
  mode: 'exhaustive',
  params: buyerParams(2, 4),
  variants: [
    lockVariant('timestamp-lock', 'SETNX lock <own clock + timeout>; an expired-looking stamp is taken over with GETSET', 'violates',
      lockedMachine<BuyerContext>('timestamp-lock-buyer', timestampLock(), plainSection)),
    lockVariant('server-ttl', 'SET NX PX with a random token: the TTL runs on the server clock alone', 'holds',
      lockedMachine<BuyerContext>('server-ttl-buyer', ownerCheckedLock(), plainSection)),
  ],
});
