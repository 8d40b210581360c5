// `interleave run` from the command line: exit codes, text and JSON, one-line errors for bad input and for
// servers that are down or never answer, and Ctrl-C removing what the run made.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from './cli-harness.ts';
import { RedisConnection } from '../src/run/redis-client.ts';
import { RUN_PREFIX } from '../src/run/namespace.ts';
import { REDIS_URL, service } from './services.ts';
import { childrenOf, gone } from './child-processes.ts';

const interleave = runCliAsync;

const fast = ['--ttl', '1000', '--time-scale', '20', '--parallel', '4'];

describe('interleave run (embedded)', () => {
  it('exits 1 with counts per property and the first violation\'s timeline', async () => {
    const r = await interleave('run', 'inventory', '--variant', 'naive-lock', ...fast, '--iterations', '10');
    expect(r.code).toBe(1);
    expect(r.out).toContain('inventory / naive-lock  (buyers=3 stock=1 ttl=1000; seed 1) on ioredis-mock');
    expect(r.out).toMatch(/✗ mutual-exclusion +broken in \d+ of 10/);
    expect(r.out).toContain('true ms  clock │');
    expect(r.out).toMatch(/\n✗ [a-z-]+ violated: /);
  });

  it('draws its first violating iteration with --svg, without a replay command (a real run has none)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'interleave-test-run-svg-'));
    try {
      const [svg, html] = [join(dir, 'run.svg'), join(dir, 'run.html')];
      const r = await interleave('run', 'inventory', '--variant', 'naive-lock', ...fast, '--iterations', '10', '--svg', svg, '--html', html);
      expect(r.code).toBe(1);
      expect(r.lines.slice(-2)).toEqual([`diagram: ${svg}`, `diagram: ${html}`]);
      expect(readFileSync(svg, 'utf8')).toContain('id="il-violating-step"');
      expect(readFileSync(html, 'utf8')).not.toContain('interleave replay');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 0 when every iteration holds, and --json says the same', async () => {
    const r = await interleave('run', 'inventory', '--variant', 'fenced', ...fast, '--iterations', '4', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toMatchObject({ scenario: 'inventory', variant: 'fenced', backend: 'embedded', iterations: 4, timeScale: 20, violation: null });
    expect(json.properties.map((p: { property: string }) => p.property)).toContain('fencing-monotonic');
  });

  it('says which iterations were cut off by --max-time, their liveness unjudged', async () => {
    const r = await interleave('run', 'payment', '--variant', 'idempotent', '--time-scale', '20', '--max-time', '1', '--json');
    expect(JSON.parse(r.out)).toMatchObject({ unjudged: 1 });
  });

  it('takes --worker-pauses apart from --pauses, and reports them', async () => {
    const r = await interleave('run', 'checkout', '--variant', 'outbox', '--time-scale', '50', '--pauses', '0', '--worker-pauses', '1', '--kills', '0', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).faults).toMatchObject({ pauses: 0, deliveryPauses: 1, pauseMs: 10_000 });
    const text = await interleave('run', 'payment', '--variant', 'idempotent', '--time-scale', '20', '--pauses', '2', '--worker-pauses', '1');
    expect(text.code).toBe(0);
    expect(text.lines[1]).toContain('faults per iteration: 1 pause of 4000 ms after a delivery, 1 kill after a delivery');
  });

  it('pauses order-confirm\'s workers without --pause, for twice the restart delay', async () => {
    const r = await interleave('run', 'order-confirm', '--variant', 'outbox', '--time-scale', '20', '--worker-pauses', '1');
    expect(r.code).toBe(0);
    expect(r.lines[1]).toContain('faults per iteration: 1 pause of 2000 ms after a delivery, 1 kill after a delivery');
  });

  it('exits 2 with one line for bad input', async () => {
    for (const [argv, message] of [
      [['run', 'payment', '--worker-pauses', 'one'], "interleave: --worker-pauses needs an integer, got 'one'\n"],
      [['run', 'payment', '--worker-pauses=-1'], 'interleave: --worker-pauses must be a non-negative integer, got -1\n'],
      [['run'], 'interleave: run needs a SCENARIO (see interleave list)\n'],
      [['run', 'inventory', '--backend', 'cloud'], "interleave: --backend must be embedded or real, got 'cloud'\n"],
      [['run', 'inventory', '--runs', '5'], 'interleave: --runs is an option of check, not of run\n'],
      [['run', 'inventory', '--iterations', '0'], 'interleave: --iterations must be a positive integer, got 0\n'],
      [['run', 'payment', '--variant', 'at-most-once'], "interleave: scenario 'payment' has no variant 'at-most-once' (variants: auto-ack, ack-before, ack-after, claim-first, dedupe-expiry, idempotent)\n"],
      [['run', 'inventory', '--backend', 'real', '--redis', 'http://x'], "interleave: --redis needs a redis: or rediss: URL, got 'http://x'\n"],
      [['run', 'redlock', '--backend', 'real', '--redis', 'redis://127.0.0.1:1,redis://127.0.0.1:2'], 'interleave: --redis has 2 URLs for 6 Redis servers (redis, redis-1, redis-2, redis-3, redis-4, redis-5): give 1 (every server a key space on it), 5 (one per lock instance, redis beside redis-1) or 6 (one per server)\n'],
      [['run', 'inventory', '--backend', 'real', '--isolation', 'process', '--redis', 'redis://127.0.0.1:1,redis://127.0.0.1:2'], 'interleave: --redis has 2 URLs for one Redis server (redis): give 1\n'],
      [['run', 'inventory', '--isolation', 'thread'], "interleave: --isolation must be shared or process, got 'thread'\n"],
      [['run', 'inventory', '--isolation', 'process'], "interleave: --isolation process needs --backend real: the embedded servers live in this process, out of its children's reach\n"],
    ] as const) {
      const r = await interleave(...argv);
      expect([r.code, r.err]).toEqual([2, message]);
    }
  });
});

describe('interleave run (servers that are down or mute)', () => {
  let mute: Server;
  const sockets: Socket[] = [];
  let port = 0;
  beforeAll(async () => {
    // Accepts connections and never says a word: a client waiting for a greeting would wait forever.
    mute = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    port = (mute.address() as { port: number }).port;
  });
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    mute.close();
  });

  it('names host:port in one line when nothing listens there', async () => {
    const r = await interleave('run', 'inventory', '--backend', 'real', '--redis', 'redis://127.0.0.1:1');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^interleave: cannot reach Redis at 127\.0\.0\.1:1: .*ECONNREFUSED.*\n$/);
  });

  it('gives up on a server that accepts but never answers, at the deadline, for Redis and for RabbitMQ', async () => {
    const redis = await interleave('run', 'inventory', '--backend', 'real', '--redis', `redis://127.0.0.1:${port}`);
    expect([redis.code, redis.err]).toEqual([2, `interleave: cannot reach Redis at 127.0.0.1:${port}: no answer within 2000 ms from Redis at 127.0.0.1:${port}\n`]);
    const amqp = await interleave('run', 'payment', '--backend', 'real', '--redis', REDIS_URL, '--amqp', `amqp://guest:guest@127.0.0.1:${port}`);
    expect(amqp.code).toBe(2);
    expect(amqp.err).toMatch(new RegExp(`^interleave: cannot reach (Redis|RabbitMQ) at 127\\.0\\.0\\.1:(6379|${port}): .*\\n$`));
  });
});

const redis = await service('redis', REDIS_URL);

describe.skipIf(!redis.available)('interleave run, interrupted (real Redis)', () => {
  const until = async (done: () => boolean | Promise<boolean>) => {
    while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 50));
  };

  it.for(['shared', 'process'])('Ctrl-C removes the keys of the iteration in progress and exits 130 (--isolation %s)', async (isolation) => {
    const child = spawn('node', ['bin/interleave.js', 'run', 'inventory', '--variant', 'naive-lock', '--backend', 'real', '--redis', REDIS_URL, '--pause', '60000', '--arrivals', '0', '--isolation', isolation], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += String(chunk); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const connection = await RedisConnection.open('real', REDIS_URL);
    try {
      const pattern = `${RUN_PREFIX}${child.pid}-*`;
      // The run is under way once its setup wrote the stock; in child processes, once a pause has stopped one.
      await until(async () => (await connection.keys(pattern)).length > 0);
      if (isolation === 'process') await until(() => childrenOf(child.pid!).some((c) => c.state === 'T'));
      const children = childrenOf(child.pid!).map((c) => c.pid);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toMatch(new RegExp(`interleave: interrupted; removing the keys and queues under ${RUN_PREFIX}${child.pid}-[0-9a-f]{8}:\\n`));
      expect(await connection.keys(pattern)).toEqual([]);
      // Its children, the stopped one too, end with it.
      await until(() => children.every(gone));
    } finally {
      child.kill('SIGKILL');
      await connection.close();
    }
  });
});
