/**
 * One iteration of a real run: a fresh namespace, the scenario's queues and setup, every process running
 * concurrently with real timing (in this Node process, or each in a child process: --isolation process), until
 * the run is over — every process finished or waiting for work that will not come (no process busy, every queue
 * empty, and still so a moment later) — or the wall-time budget is spent. Then it reads the final state and
 * removes everything it made.
 */
import type { Command } from '../../models/protocol.ts';
import { UsageError, type Prepared } from '../check/prepare.ts';
import { RESTART_DELAY_MS } from '../sim/simulation.ts';
import { isBrokerCommand, isConfirmedPublish } from '../world/amqp/commands.ts';
import { isEffectCommand, type Effects } from '../world/effects/effects.ts';
import { BrokerSession } from './broker-session.ts';
import type { ProcessIsolation } from './child/process-isolation.ts';
import { FaultInjector } from './fault-injector.ts';
import type { FaultPlan } from './fault-plan.ts';
import { History } from './history.ts';
import { commandOnKilledConnection } from './killed-connection.ts';
import { removeLeftovers, type Made, type Servers } from './leftovers.ts';
import { Namespace } from './namespace.ts';
import { ProcessRunner } from './process-runner.ts';
import type { RunServices } from './run-services.ts';
import type { RedisStall } from './redis-stall.ts';
import { RunClock } from './run-clock.ts';
import { ShopSystems } from './shop-systems.ts';
import type { TimeScale } from './time-scale.ts';

/** How often the end of the run is looked for, real ms. */
const POLL_MS = 5;
/** How long "over" must hold before the run is declared over: a delivery may be on the wire, real ms. */
const SETTLE_MS = 25;

/** Everything one iteration needs. */
export interface IterationSettings {
  /** The variant, built as the checker builds it. */
  readonly prepared: Prepared;
  /** Where to run. */
  readonly servers: Servers;
  /** How fast. */
  readonly scale: TimeScale;
  /** Which faults land where. */
  readonly plan: FaultPlan;
  /** Wall-time budget, real ms: past it the run is stopped unfinished. */
  readonly maxTimeMs: number;
  /** Iterations in progress, for Ctrl-C: this one adds itself while it runs. */
  readonly inProgress: Set<Made>;
  /** Each process in a child process of its own, or `null`: all in this one. */
  readonly isolation: ProcessIsolation | null;
  /** The run's stalls of its Redis servers (shared by its iterations, as the servers are). */
  readonly redisStall: RedisStall;
}

/** What an iteration leaves for the judge. */
export interface IterationRecord {
  /** What happened. */
  readonly history: History;
  /** The namespace prefix it ran under. */
  readonly prefix: string;
  /** True when it ended because nothing more could happen (not cut off by the time budget). */
  readonly quiesced: boolean;
  /** True time at the end, model ms. */
  readonly endedAt: number;
  /** Wall time it took, ms. */
  readonly realMs: number;
  /** Every Redis server's persistent keys at the end (keys without a TTL): `key` on the store, `@n:key` on instance n. */
  readonly finalRedis: ReadonlyMap<string, string>;
  /** For each of the scenario's Redis servers, the host (connection) that served it: one serial order per host. */
  readonly redisHosts: readonly number[];
  /** The shop's systems at the end. */
  readonly effects: Effects;
}

/**
 * Runs one iteration.
 * @example const record = await runIteration({ prepared, servers, scale, plan, maxTimeMs: 30_000, inProgress, isolation: null })
 */
export async function runIteration(settings: IterationSettings): Promise<IterationRecord> {
  const { prepared, servers, scale, plan } = settings;
  const namespace = new Namespace();
  const queueSpecs = prepared.instance.queues ?? [];
  const queues = [...new Set(queueSpecs.flatMap((q) => [q.deadLetterQueue, q.name]).filter((q): q is string => q !== undefined))];
  const made: Made = { namespace, queues: queues.map((q) => namespace.queue(q)), stop: async () => undefined };
  // Children are ready before the clock starts: their start-up is no part of the run.
  const children = await settings.isolation?.take(namespace.prefix, plan);
  settings.inProgress.add(made);
  const startedAt = performance.now();
  try {
    const clock = new RunClock(scale);
    const history = new History();
    const shop = new ShopSystems();
    const redis = async (cmd: Command) => {
      const { connection } = servers.redis.host(cmd);
      const wire = scale.redisCommand(namespace.redisCommand(cmd));
      // An embedded stall holds a write here (a real server holds it itself).
      const held = settings.redisStall.wait(connection, wire);
      if (held !== null) await held;
      return scale.redisReply(cmd, await connection.exec(wire));
    };
    for (const spec of queueSpecs) {
      if (spec.deadLetterQueue) await servers.amqp!.admin.assertQueue(namespace.queue(spec.deadLetterQueue), { durable: false });
      const deadLetter = spec.deadLetterQueue ? { deadLetterExchange: '', deadLetterRoutingKey: namespace.queue(spec.deadLetterQueue) } : {};
      await servers.amqp!.admin.assertQueue(namespace.queue(spec.name), { durable: false, ...deadLetter });
    }
    for (const command of prepared.instance.setup) history.setup.push({ command, reply: await runSetupCommand(command, settings, namespace, shop, redis) });
    const ended = new AbortController();
    /** The ends of the stalls begun: each recorded when it comes. */
    const stalls: Promise<void>[] = [];
    const services: RunServices = {
      clock, history, shop, redis, ended: ended.signal,
      faults: new FaultInjector(plan, prepared.processes.length),
      restartDelayMs: RESTART_DELAY_MS,
      brokerSession: (listener, channelName) => (servers.amqp ? new BrokerSession(servers.amqp, namespace, channelName, listener) : null),
      killConnectionDuring: (cmd, executes) => commandOnKilledConnection(servers.redis.host(cmd).connection, cmd, { namespace, scale, executes, stall: settings.redisStall }),
      // The store's server, the one every scenario has.
      stallRedis: async (ms, proc, view) => {
        const { over } = await settings.redisStall.begin(servers.redis.hosts[servers.redis.hostOf[0]].connection, scale.realMs(ms), namespace.key('@stall'));
        history.record({ kind: 'stall', at: clock.now(), proc, view: view(), ms });
        stalls.push(over.then(() => history.record({ kind: 'stall-over', at: clock.now(), proc, view: view() })));
      },
    };
    const runners = prepared.processes.map((p, i) => {
      const { machine, input } = prepared.instance.processes[i];
      const definition = { name: p.name, machine, input, restart: p.restart, service: p.service };
      return children ? children.runner(i, definition, services) : new ProcessRunner(i, definition, services);
    });
    const running = Promise.all(runners.map((runner, i) => runner.run(plan.arrivals[i])));
    let failure: unknown = null;
    running.catch((error: unknown) => { failure = error; });
    made.stop = async () => {
      ended.abort();
      await running.catch(() => undefined);
    };
    let quiesced: boolean;
    let endedAt: number;
    try {
      quiesced = await waitForEnd(runners, settings, made, history, () => failure, startedAt);
    } finally {
      endedAt = clock.now();
      ended.abort();
      await running.catch(() => undefined);
      await Promise.allSettled(stalls);
    }
    if (failure !== null) throw failure;
    children?.ordered(history);
    return { history, prefix: namespace.prefix, quiesced, endedAt, realMs: performance.now() - startedAt, finalRedis: await servers.redis.persistentKeys(namespace), redisHosts: servers.redis.hostOf, effects: shop.effects };
  } finally {
    children?.release();
    settings.inProgress.delete(made);
    await removeLeftovers(servers, made);
  }
}

/** Runs one setup command before any process: Redis, a publish (confirmed), or the shop's systems. */
async function runSetupCommand(command: Command, settings: IterationSettings, namespace: Namespace, shop: ShopSystems, redis: (cmd: Command) => Promise<unknown>): Promise<unknown> {
  if (isEffectCommand(command)) return (await shop.exec(command, () => 0)).reply;
  if (!isBrokerCommand(command)) return redis(command);
  const [name, queue, payload, messageId] = command;
  if (name !== 'AMQP.PUBLISH') throw new UsageError(`the runner's setup can publish, not ${String(name)}`);
  const admin = settings.servers.amqp!.admin;
  admin.sendToQueue(namespace.queue(String(queue)), Buffer.from(String(payload)), { messageId: messageId === undefined ? undefined : String(messageId), persistent: false });
  await admin.waitForConfirms();
  return isConfirmedPublish(command) ? 'ack' : 'sent';
}

/**
 * Resolves `true` once the run is over (nobody busy, every queue empty, twice, `SETTLE_MS` apart, with nothing
 * recorded in between), or `false` when the wall-time budget is spent. Rethrows a process's failure.
 */
async function waitForEnd(runners: readonly Pick<ProcessRunner, 'activity'>[], settings: IterationSettings, made: Made, history: History, failure: () => unknown, startedAt: number): Promise<boolean> {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const over = async () => runners.every((r) => r.activity !== 'busy') && (await queuesEmpty(settings.servers, made.queues));
  while (performance.now() - startedAt < settings.maxTimeMs) {
    await pause(POLL_MS);
    if (failure() !== null) throw failure();
    // Every process ended for good: nothing can be on its way to anybody.
    if (runners.every((r) => r.activity === 'finished')) return true;
    if (!(await over())) continue;
    const seen = history.entries.length;
    await pause(SETTLE_MS);
    if (history.entries.length === seen && (await over())) return true;
  }
  return false;
}

async function queuesEmpty(servers: Servers, queues: readonly string[]): Promise<boolean> {
  for (const queue of queues) if ((await servers.amqp!.admin.checkQueue(queue)).messageCount > 0) return false;
  return true;
}
