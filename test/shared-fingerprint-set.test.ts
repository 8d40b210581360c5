// The table of visited states that the threads of a depth-first search share (src/check/shared-fingerprint-set.ts):
// however the threads' insertions interleave, and across the doublings one of them does while the others wait,
// each fingerprint is stored once and claimed (found new) by exactly one thread.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SharedFingerprintSet } from '../src/check/shared-fingerprint-set.ts';
import { fingerprintNumbered } from './fixtures/numbered-fingerprints.ts';

describe('the shared fingerprint set', () => {
  it('on one thread: new once, then known; it doubles as it fills and keeps every fingerprint', () => {
    const set = SharedFingerprintSet.attach(SharedFingerprintSet.create(1), 0);
    const first = set.bytes;
    set.enter();
    let claimed = 0;
    for (let i = 0; i < 2_000_000; i++) {
      if (set.addFingerprint(...fingerprintNumbered(i))) claimed++;
      if (i % 256 === 0) set.pollGrowth();
    }
    for (let i = 0; i < 2_000_000; i++) if (set.addFingerprint(...fingerprintNumbered(i))) claimed++;
    set.leave();
    expect(claimed).toBe(2_000_000);
    expect(set.size).toBe(2_000_000);
    expect(set.bytes).toBeGreaterThanOrEqual(4 * first);
    // Two 32-bit words a slot, at most five eighths full once grown: at most 8 / (5/16) ≈ 26 bytes a state.
    expect(set.bytes / set.size).toBeLessThanOrEqual(32);
  });

  it('on three threads inserting the same fingerprints at once: each claimed by exactly one', async () => {
    const shared = SharedFingerprintSet.create(3);
    const gate = new SharedArrayBuffer(8);
    // The same fingerprints in the same order: the threads race for the same slots all the way.
    const ranges = [[0, 1_500_000], [0, 1_500_000], [0, 1_500_000]] as const;
    const workers = ranges.slice(1).map(([from, to], w) => new Worker(new URL('./fixtures/shared-set-inserter.mjs', import.meta.url), { workerData: { shared, thread: w + 1, from, to, gate } }));
    const answers = workers.map((worker) => new Promise<number>((resolve, reject) => worker.once('message', resolve).once('error', reject)));
    // Every thread waits at the gate, so that all three insert at once and the doublings meet threads mid-way.
    const signal = new Int32Array(gate);
    while (Atomics.load(signal, 0) < workers.length) await new Promise((resolve) => setImmediate(resolve));
    Atomics.store(signal, 1, 1);
    Atomics.notify(signal, 1);
    const set = SharedFingerprintSet.attach(shared, 0);
    set.enter();
    let claimed = 0;
    for (let i = ranges[0][0]; i < ranges[0][1]; i++) {
      if (set.addFingerprint(...fingerprintNumbered(i))) claimed++;
      if (i % 256 === 0) set.pollGrowth();
    }
    set.leave();
    const claims = [claimed, ...(await Promise.all(answers))];
    await Promise.all(workers.map((worker) => worker.terminate()));
    expect(claims.reduce((sum, n) => sum + n, 0)).toBe(1_500_000);
    expect(SharedFingerprintSet.attach(shared, 0).size).toBe(1_500_000);
    // Nothing lost in the doublings: each is known now.
    const check = SharedFingerprintSet.attach(shared, 0);
    check.enter();
    let known = 0;
    for (let i = 0; i < 1_500_000; i++) if (!check.addFingerprint(...fingerprintNumbered(i))) known++;
    check.leave();
    expect(known).toBe(1_500_000);
  }, 60_000);
});
