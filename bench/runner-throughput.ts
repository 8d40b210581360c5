/**
 * Section 8 of `npm run bench`: the runner's overhead on real services, as ratios against plain client code on
 * the same server (targets ≥ 0.9):
 * - lock cycles/s — the owner-checked lock machine (`SET NX PX` with a token, compare-and-delete script) driven
 *   by the runner's `ProcessRunner`, one process per cycle (its machine stepped, history and fault checks included),
 *   against redis-semaphore's `Mutex` (acquire + release, the same TTL, no refresh), with 1 and 4 concurrent
 *   clients, each on its own key (no contention: this is throughput, not a retry policy);
 * - consume+ack messages/s — the `ack-after` consumer machine with a no-op work step, driven by the runner,
 *   against a raw amqplib loop (prefetch 1, as the machine subscribes), both timed from connecting to the last
 *   ack sent, on a fresh queue with M messages published beforehand (not timed).
 * The two sides alternate round by round so drift in the machine's load hits both. Skips with one line when a
 * server is absent. Keys and queues are named `interleave-bench-<pid>-…` and removed afterwards. Run alone with
 * `node --import tsx bench/runner-throughput.ts`.
 */
import { pathToFileURL } from 'node:url';
import { connect as amqpConnect, type ConsumeMessage } from 'amqplib';
import { Redis } from 'ioredis';
import { Mutex } from 'redis-semaphore';
import { consumerMachine, IDLE_CONSUMER } from '../models/consumer.ts';
import { lockedMachine } from '../models/locked-machine.ts';
import { ownerCheckedLock } from '../models/owner-checked-lock.ts';
import type { Command } from '../models/protocol.ts';
import { RESTART_DELAY_MS } from '../src/sim/simulation.ts';
import { AmqpServer } from '../src/run/amqp-server.ts';
import { BrokerSession } from '../src/run/broker-session.ts';
import { FaultInjector } from '../src/run/fault-injector.ts';
import { History, type HistoryEntry } from '../src/run/history.ts';
import { Namespace } from '../src/run/namespace.ts';
import { ProcessRunner } from '../src/run/process-runner.ts';
import type { ProcessDefinition, RunServices } from '../src/run/run-services.ts';
import { RedisConnection } from '../src/run/redis-client.ts';
import { MachineStepper } from '../src/sim/machine-stepper.ts';
import { RunClock } from '../src/run/run-clock.ts';
import { ShopSystems } from '../src/run/shop-systems.ts';
import { TimeScale } from '../src/run/time-scale.ts';
import { alternate, cycles, roundOf, steppingUs, type Comparison, type Round } from './alternating-rounds.ts';
import { formatSpread, median, spread, table, thousands, timed } from './measure.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const TARGET = 0.9;
/** Settings of a measurement: rounds per side (alternated), and work per round. */
export interface ThroughputSettings {
  /** Timed rounds per side, after one untimed warm-up round each. */
  readonly rounds: number;
  /** Lock cycles per round, split evenly among the concurrent clients. */
  readonly cycles: number;
  /** Concurrent lock clients to measure, one table row each. */
  readonly concurrency: readonly number[];
  /** Messages per consume round. */
  readonly messages: number;
}
const DEFAULTS: ThroughputSettings = { rounds: 5, cycles: 4_000, concurrency: [1, 4], messages: 3_000 };
const TTL_MS = 5_000;
/** Real ms a consumer stays connected after its last ack, so the ack reaches the broker before the close. */
const SETTLE_MS = 25;
const NO_FAULTS = { arrivals: [], pauses: [], pauseMs: 0, afterDelivery: [], publishKills: 0 };
const LOCK_MACHINE = lockedMachine('bench-lock', ownerCheckedLock(), () => ({ work: { always: 'release' } }));
const CONSUMER_MACHINE = (queue: string) => consumerMachine('bench-consumer', queue, 'ack-after', (next) => ({ work: { always: next } }));

/** A table row: both rates, the ratio's median (min–max) over the round pairs against the target, and both CPU costs. */
function row(label: string, c: Comparison): string[] {
  const rates = (rounds: Round[]) => spread(rounds.map((r) => r.rate));
  const ratios = spread(c.ours.map((x, i) => x.rate / c.theirs[i].rate));
  const cpu = (rounds: Round[]) => median(rounds.map((r) => r.cpuUs)).toFixed(0);
  return [label, formatSpread(rates(c.ours)), formatSpread(rates(c.theirs)), formatSpread(ratios, 2), ratios.median >= TARGET ? 'met' : 'NOT met', `${cpu(c.ours)} / ${cpu(c.theirs)}`];
}

/** The services one process of a real run gets, on `redis` and `amqp`, at real time and without faults. */
function runServices(ns: Namespace, history: History, processes: number, servers: { redis?: RedisConnection; amqp?: AmqpServer }): RunServices {
  const scale = new TimeScale(1);
  return {
    clock: new RunClock(scale), history, shop: new ShopSystems(), ended: new AbortController().signal,
    faults: new FaultInjector(NO_FAULTS, processes), restartDelayMs: RESTART_DELAY_MS,
    // As the iteration does: into the namespace, onto the wire's time scale, and the reply back.
    redis: async (cmd: Command) => scale.redisReply(cmd, await servers.redis!.exec(scale.redisCommand(ns.redisCommand(cmd)))),
    brokerSession: (listener, channelName) => (servers.amqp ? new BrokerSession(servers.amqp, ns, channelName, listener) : null),
  };
}

/** One lock cycle through the runner: a process running the owner-checked machine from `acquire` to `done`. */
async function runnerLockCycle(services: RunServices, worker: number, i: number): Promise<void> {
  const input = { name: `W${worker}`, token: `W${worker}-${i}`, lockKey: `lock:${worker}`, ttlMs: TTL_MS, attempt: 0, fence: null, acquiredAt: null, clock: null };
  const definition: ProcessDefinition = { name: `W${worker}`, machine: LOCK_MACHINE, input, restart: false, service: false };
  const runner = new ProcessRunner(worker, definition, services);
  await runner.run(0);
  if (runner.view().status !== 'done' || (runner.view().context as { attempt: number }).attempt !== 0) throw new Error('runner lock cycle did not acquire at once');
}

/** Lock cycles/s through the runner against redis-semaphore's Mutex, for each concurrency. */
async function compareLocks(redis: RedisConnection, client: Redis, ns: Namespace, settings: ThroughputSettings): Promise<string[][]> {
  const rows: string[][] = [];
  for (const workers of settings.concurrency) {
    const ours = () => {
      const services = runServices(ns, new History(), workers, { redis });
      return cycles(workers, settings.cycles, (w, i) => runnerLockCycle(services, w, i));
    };
    const theirs = () => cycles(workers, settings.cycles, async (w) => {
      const mutex = new Mutex(client, ns.key(`mutex:${w}`), { lockTimeout: TTL_MS, acquireAttemptsLimit: 1, refreshInterval: 0 });
      await mutex.acquire();
      await mutex.release();
    });
    rows.push(row(`lock cycles/s, ${workers} client${workers === 1 ? '' : 's'}`, await alternate(settings.rounds, ours, theirs)));
  }
  return rows;
}

/** A history that resolves `done` once `count` acks are recorded. */
class AckCounter extends History {
  private acks = 0;
  private resolve = () => undefined as void;
  readonly done = new Promise<void>((resolve) => { this.resolve = resolve; });

  constructor(private readonly count: number) {
    super();
  }

  override record(entry: HistoryEntry): void {
    super.record(entry);
    if (entry.kind === 'command' && entry.command[0] === 'AMQP.ACK' && ++this.acks === this.count) this.resolve();
  }
}

/** Consume+ack messages/s through the runner against a raw amqplib loop, each round on a fresh queue. */
async function compareConsumers(amqp: AmqpServer, ns: Namespace, settings: ThroughputSettings): Promise<string[]> {
  let queues = 0;
  /** Fills a fresh queue, has `drain` empty it (answering its times to the last ack), checks it is empty, deletes it. */
  const round = async (drain: (queue: string) => Promise<{ ms: number; cpuMs: number }>): Promise<Round> => {
    const queue = String(++queues);
    const wire = ns.queue(queue);
    await amqp.admin.assertQueue(wire, { durable: false });
    try {
      for (let m = 0; m < settings.messages; m++) amqp.admin.sendToQueue(wire, Buffer.from(`order-${m}`), { messageId: String(m), persistent: false });
      await amqp.admin.waitForConfirms();
      const times = await drain(queue);
      const left = (await amqp.admin.checkQueue(wire)).messageCount;
      if (left !== 0) throw new Error(`${left} messages left on ${wire}`);
      return roundOf(settings.messages, times);
    } finally {
      await amqp.admin.deleteQueue(wire);
    }
  };
  const ours = () => round(async (queue) => {
    const history = new AckCounter(settings.messages);
    const ended = new AbortController();
    const services = { ...runServices(ns, history, 1, { amqp }), ended: ended.signal };
    const definition: ProcessDefinition = { name: 'A', machine: CONSUMER_MACHINE(queue), input: IDLE_CONSUMER, restart: false, service: true };
    let running: Promise<void> = Promise.resolve();
    const times = await timed(async () => {
      running = new ProcessRunner(0, definition, services).run(0);
      await Promise.race([history.done, running]);
    });
    // The run ends like an iteration's: once the last ack has had time to reach the broker (the process's
    // end closes its connection at once, which can overtake an ack still queued in amqplib's channel buffer).
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    ended.abort();
    await running;
    return times;
  });
  const theirs = () => round(async (queue) => {
    let acked = 0;
    const { value: connection, ...times } = await timed(async () => {
      const connection = await amqpConnect(AMQP_URL);
      const channel = await connection.createChannel();
      await channel.prefetch(1);
      await new Promise<void>((resolve) => {
        void channel.consume(ns.queue(queue), (message: ConsumeMessage | null) => {
          if (message === null) return;
          channel.ack(message);
          if (++acked === settings.messages) resolve();
        });
      });
      return connection;
    });
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await connection.close();
    return times;
  });
  return row('consume+ack msgs/s, prefetch 1', await alternate(settings.rounds, ours, theirs));
}

/** Opens a server, or prints why section 8 skips it and answers `null`. */
async function open<T>(what: string, opening: () => Promise<T>): Promise<T | null> {
  try {
    return await opening();
  } catch (error) {
    console.log(`   skipped ${what}: ${(error as Error).message}`);
    return null;
  }
}

/**
 * Measures and prints section 8; `settings` shrinks it (a test runs it on tiny counts).
 * @example await compareRunnerThroughput({ rounds: 1, cycles: 8, concurrency: [2], messages: 5 })
 */
export async function compareRunnerThroughput(settings: ThroughputSettings = DEFAULTS): Promise<void> {
  console.log(`8. The runner on real services against plain client code — medians (min–max) over ${settings.rounds} alternated rounds`);
  const ns = new Namespace(`interleave-bench-${process.pid}-`);
  const rows: string[][] = [];
  const redis = await open(`Redis (${REDIS_URL})`, () => RedisConnection.open('real', REDIS_URL));
  if (redis !== null) {
    const client = new Redis(REDIS_URL);
    try {
      rows.push(...(await compareLocks(redis, client, ns, settings)));
    } finally {
      await redis.deleteMatching(ns.keyPattern);
      client.disconnect();
      await redis.close();
    }
  }
  const amqp = await open(`RabbitMQ (${AMQP_URL})`, () => AmqpServer.open('real', AMQP_URL));
  if (amqp !== null) {
    try {
      rows.push(await compareConsumers(amqp, ns, settings));
    } finally {
      await amqp.close();
    }
  }
  if (rows.length === 0) return;
  console.log(table(['measure', 'runner', 'plain client', 'runner ÷ plain', `target ≥ ${TARGET}`, 'CPU µs each, runner / plain'], rows).join('\n'));
  const stepping = machineStepping();
  console.log(`   lock: one cycle = SET NX PX ${TTL_MS} + compare-and-delete; the runner starts a process per cycle (xstate
   transitions, history, fault checks); both sides call the script by EVALSHA; redis-semaphore's Mutex
   (refreshInterval 0) is made per cycle too. Each concurrent client has its own key. One Redis connection per side.
   consume: ${thousands(settings.messages)} messages per round, from connecting to the last ack sent.
   CPU µs each: this process's CPU time per cycle or message. Stepping the machines alone, with no I/O (xstate's
   transitions: a process's start and two replies; a delivery and the ack's reply) costs ${stepping.lockCycleUs.toFixed(0)} µs a lock cycle and
   ${stepping.messageUs.toFixed(0)} µs a message: where the CPU, not the server, is what a side waits for, that much more per unit
   is the runner's floor.`);
}

/** CPU µs of stepping the benchmark's machines through one lock cycle, and through one message. */
function machineStepping(): { lockCycleUs: number; messageUs: number } {
  const lock = MachineStepper.of(LOCK_MACHINE);
  const lockCycleUs = steppingUs(20_000, (i) => {
    const acquiring = lock.start({ name: 'W0', token: `W0-${i}`, lockKey: 'lock:0', ttlMs: TTL_MS, attempt: 0, fence: null, acquiredAt: null, clock: null });
    const releasing = lock.next(acquiring.snapshot, { type: 'reply', value: 'OK' });
    lock.next(releasing.snapshot, { type: 'reply', value: 1 });
  });
  const consumer = MachineStepper.of(CONSUMER_MACHINE('1'));
  const waiting = consumer.next(consumer.start(IDLE_CONSUMER).snapshot, { type: 'reply', value: 'amq.ctag-1' });
  const messageUs = steppingUs(20_000, (i) => {
    const delivery = { consumerTag: 'amq.ctag-1', channel: 'A/1', queue: '1', deliveryTag: i + 1, messageId: String(i), payload: `order-${i}`, redelivered: false };
    const acking = consumer.next(waiting.snapshot, { type: 'delivery', delivery });
    consumer.next(acking.snapshot, { type: 'reply', value: 'OK' });
  });
  return { lockCycleUs, messageUs };
}

// Run as a script: section 8 alone.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await compareRunnerThroughput();
