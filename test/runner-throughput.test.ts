// Section 8 of the bench (bench/runner-throughput.ts) on tiny counts: both sides of both comparisons run to
// the end on the real servers and leave nothing behind. It checks the parts work, never the timings.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compareRunnerThroughput } from '../bench/runner-throughput.ts';
import { AMQP_URL, REDIS_URL, service } from './services.ts';

const redis = await service('redis', REDIS_URL);
const amqp = await service('amqp', AMQP_URL);

describe.skipIf(!redis.available || !amqp.available)('runner throughput bench, tiny counts', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('prints one row per lock concurrency and one for consume+ack, and removes its keys', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => { lines.push(parts.join(' ')); });
    await compareRunnerThroughput({ rounds: 1, cycles: 6, concurrency: [1, 3], messages: 4 });
    const output = lines.join('\n');
    expect(output).toMatch(/lock cycles\/s, 1 client\s/);
    expect(output).toMatch(/lock cycles\/s, 3 clients\s/);
    expect(output).toMatch(/consume\+ack msgs\/s, prefetch 1\s/);
    expect(output).not.toMatch(/skipped/);
    const client = new Redis(REDIS_URL);
    try {
      const [, keys] = await client.scan('0', 'MATCH', `interleave-bench-${process.pid}-*`, 'COUNT', 10_000);
      expect(keys).toEqual([]);
    } finally {
      client.disconnect();
    }
  });
});
