/**
 * `run`: the scenario's own machines against real servers (or the embedded ones), iteration after iteration,
 * each with fresh namespaces and a fault plan from the seed, each judged by the variant's own properties; the
 * result counts, per property, the iterations that broke it, and keeps the first one's timeline.
 */
import { findVariant, prepare, resolveParams, UsageError, type Prepared } from '../check/prepare.ts';
import { timelineSteps, type TimelineStep } from '../report/timeline.ts';
import type { Params, Scenario } from '../scenario.ts';
import { createPrng } from '../sim/prng.ts';
import { isBrokerCommand } from '../world/amqp/commands.ts';
import { AmqpServer } from './amqp-server.ts';
import { ProcessIsolation } from './child/process-isolation.ts';
import { planFaults, type FaultOptions } from './fault-plan.ts';
import { runFaults } from './run-faults.ts';
import { runIteration } from './iteration.ts';
import { judge, type Judgement } from './judge.ts';
import { onInterrupt, type Made, type Servers } from './leftovers.ts';
import { RedisFleet, redisUrls } from './redis-fleet.ts';
import { RedisStall } from './redis-stall.ts';
import { TimeScale } from './time-scale.ts';

/** Where to run: in process (ioredis-mock and the embedded broker) or on real servers. */
export type Backend = 'embedded' | 'real';

/** Where the processes run: all in this Node process (`shared`), or each in a child process (`process`, real backend only). */
export type Isolation = 'shared' | 'process';

/** What `run` takes; everything has a default. */
export interface RunOptions {
  /** The variant (default: the scenario's first). */
  readonly variant?: string;
  /** Scenario parameters (defaults filled in). */
  readonly params?: Readonly<Record<string, number | undefined>>;
  /** Seed of the tokens and of every iteration's fault plan (default 1). */
  readonly seed?: number;
  /** Default `embedded`. */
  readonly backend?: Backend;
  /**
   * Real Redis URL, or a comma-separated list: one per Redlock instance, or one per Redis server (redis-fleet.ts)
   * (default `REDIS_URL`, else redis://127.0.0.1:6379).
   */
  readonly redisUrl?: string;
  /** Real RabbitMQ URL (default `AMQP_URL`, else amqp://guest:guest@127.0.0.1:5672). */
  readonly amqpUrl?: string;
  /** `shared` (default): every process in this Node process; `process`: each in a child process, faults as signals (real backend only). */
  readonly isolation?: Isolation;
  /** Iterations (default 1). */
  readonly iterations?: number;
  /** Iterations in flight at once, each in its own namespaces (default 1). */
  readonly parallel?: number;
  /** Model ms per real ms (default 1: real time). */
  readonly timeScale?: number;
  /** Wall-time budget per iteration, ms (default 60,000). */
  readonly maxTimeMs?: number;
  /** Faults; see {@link runFaults} for the defaults. */
  readonly faults?: Partial<FaultOptions>;
  /** Called after each iteration with how many are done and the namespace prefix it ran under. */
  readonly onIteration?: (done: number, judgement: Judgement, prefix: string) => void;
}

/** A property broken in some iteration: the first such iteration's story. */
export interface RunViolation {
  /** The property's name. */
  readonly property: string;
  /** What it demands. */
  readonly description: string;
  /** The state that broke it. */
  readonly message: string;
  /** The iteration, from 1. */
  readonly iteration: number;
  /** Its timeline up to the breaking event. */
  readonly steps: readonly TimelineStep[];
}

/** One property over all iterations. */
export interface PropertyTally {
  /** The property's name. */
  readonly property: string;
  /** Its kind. */
  readonly kind: 'always' | 'sometimes' | 'eventually';
  /** What it demands. */
  readonly description: string;
  /** Iterations that broke it (`always`, `eventually`). */
  violatedIn: number;
  /** Iterations that reached it (`sometimes`). */
  reachedIn: number;
  /** The first iteration that broke it. */
  first: RunViolation | null;
}

/** The outcome of a run. */
export interface RunResult {
  /** The scenario's name. */
  readonly scenario: string;
  /** The variant's name. */
  readonly variant: string;
  /** Every parameter's value. */
  readonly params: Params;
  /** The seed of tokens and fault plans. */
  readonly seed: number;
  /** Where it ran. */
  readonly backend: Backend;
  /** How its processes were hosted. */
  readonly isolation: Isolation;
  /**
   * `Redis at host:port` or `ioredis-mock` (with several Redis hosts, each with the servers it served), and each
   * Redis server by its name (`redis`, `redis-1`, …); the broker's likewise, `null` when the scenario has none.
   */
  readonly servers: { readonly redis: string; readonly redisServers: Readonly<Record<string, string>>; readonly amqp: string | null };
  /** Iterations run. */
  readonly iterations: number;
  /** Iterations in flight at once. */
  readonly parallel: number;
  /** Model ms per real ms. */
  readonly timeScale: number;
  /** The faults each iteration planned. */
  readonly faults: FaultOptions;
  /** Per property of the variant, in its order. */
  readonly properties: readonly PropertyTally[];
  /** The first violation of the highest-priority property broken, or `null`. */
  readonly violation: RunViolation | null;
  /** Iterations cut off by the time budget: their `eventually` properties were not judged. */
  readonly unjudged: number;
  /** Disagreements of the models with the servers: in how many iterations, and the first few. */
  readonly fidelity: { readonly iterations: number; readonly problems: readonly string[] };
  /** Wall time, ms. */
  readonly realMs: number;
}

const MAX_FIDELITY_PROBLEMS = 10;

/**
 * Runs `scenario` on real or embedded servers.
 * @example
 * const result = await run(inventory, { variant: 'fenced', params: { ttl: 1000 }, timeScale: 20, iterations: 200 });
 * result.violation; // null: fencing holds
 */
export async function run(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const variant = findVariant(scenario, options.variant ?? scenario.variants[0].name);
  const params = resolveParams(scenario, options.params ?? {});
  const seed = options.seed ?? 1;
  const iterations = positive('iterations', options.iterations ?? 1);
  const parallel = positive('parallel', options.parallel ?? 1);
  const scale = new TimeScale(options.timeScale ?? 1);
  const prepared = prepare(scenario, variant, params, seed);
  const faults = runFaults(prepared, options.faults ?? {});
  // Another iteration's judge would not know why its writes waited (stalled-windows.ts).
  if (faults.stalls > 0 && parallel > 1 && iterations > 1) throw new UsageError('--redis-stalls stalls the whole Redis server, and with it every iteration in flight: run them one at a time (--parallel 1)');
  const backend = options.backend ?? 'embedded';
  const isolation = options.isolation ?? 'shared';
  if (isolation !== 'shared' && isolation !== 'process') throw new UsageError(`--isolation must be shared or process, got '${String(isolation)}'`);
  const started = performance.now();
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
  const redisOption = options.redisUrl === undefined ? 'REDIS_URL' : '--redis';
  // A list of the wrong length is refused before any child starts connecting to it.
  if (backend === 'real') redisUrls(redisUrl, prepared.servers, redisOption);
  // Children start connecting while this process does.
  const children = isolation === 'process' ? ProcessIsolation.open(prepared, backend, {
    redisUrl, amqpUrl: options.amqpUrl ?? process.env.AMQP_URL, broker: usesBroker(prepared),
    parallel: Math.min(parallel, iterations), timeScale: scale.factor,
    kills: faults.kills + faults.publishKills,
  }) : null;
  const servers = await openServers(backend, prepared, options, { url: redisUrl, option: redisOption }).catch(async (error: unknown) => {
    await children?.close();
    throw error;
  });
  const inProgress = new Set<Made>();
  const redisStall = new RedisStall(backend);
  const release = onInterrupt(servers, inProgress);
  const tallies: PropertyTally[] = prepared.instance.properties.map((p) => ({ property: p.name, kind: p.kind, description: p.description, violatedIn: 0, reachedIn: 0, first: null }));
  const problems: string[] = [];
  let unjudged = 0;
  let unfaithful = 0;
  // Every plan is drawn up front, in order, so that a plan does not depend on which iteration finished first.
  const plans = createPrng(seed);
  const planned = Array.from({ length: iterations }, () => planFaults(faults, prepared.processes.length, createPrng(plans.int(0, 0x7fffffff))));
  const judgements: Judgement[] = [];
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < iterations) {
      const i = next++;
      const record = await runIteration({ prepared, servers, scale, plan: planned[i], maxTimeMs: options.maxTimeMs ?? 60_000, inProgress, isolation: children, redisStall });
      judgements[i] = judge(prepared, record, scale.factor);
      options.onIteration?.(judgements.filter(Boolean).length, judgements[i], record.prefix);
    }
  };
  try {
    const outcomes = await Promise.allSettled(Array.from({ length: Math.min(parallel, iterations) }, () => worker().catch((error: unknown) => {
      stopped = true;
      throw error;
    })));
    const failure = outcomes.find((o) => o.status === 'rejected');
    if (failure) throw failure.reason;
  } finally {
    release();
    await children?.close();
    await servers.redis.close();
    await servers.amqp?.close();
  }
  judgements.forEach((judgement, i) => {
    tally(tallies, judgement, i + 1, prepared);
    if (!judgement.judged) unjudged++;
    if (judgement.fidelity.length === 0) return;
    unfaithful++;
    problems.push(...judgement.fidelity.slice(0, MAX_FIDELITY_PROBLEMS - problems.length).map((p) => `iteration ${i + 1}: ${p}`));
  });
  return {
    scenario: scenario.name, variant: variant.name, params, seed, backend, isolation,
    servers: { redis: servers.redis.label, redisServers: servers.redis.labels(), amqp: servers.amqp?.label ?? null },
    iterations, parallel, timeScale: scale.factor, faults, properties: tallies,
    violation: tallies.find((t) => t.first !== null)?.first ?? null,
    unjudged, fidelity: { iterations: unfaithful, problems }, realMs: performance.now() - started,
  };
}

/** A positive integer option, or a usage error naming it. */
function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name} must be a positive integer, got ${value}`);
  return value;
}

/** Redis always; the broker only for scenarios that use one. */
async function openServers(backend: Backend, prepared: Prepared, options: RunOptions, redisUrl: { url: string | undefined; option: string }): Promise<Servers> {
  const redis = await RedisFleet.open(backend, redisUrl.url, prepared.servers, redisUrl.option);
  try {
    return { redis, amqp: usesBroker(prepared) ? await AmqpServer.open(backend, options.amqpUrl ?? process.env.AMQP_URL) : null };
  } catch (error) {
    await redis.close();
    throw error;
  }
}

/** True when the scenario has queues or publishes in its setup. */
function usesBroker(prepared: Prepared): boolean {
  return (prepared.instance.queues ?? []).length > 0 || prepared.instance.setup.some(isBrokerCommand);
}

/** Adds one iteration's verdicts to the tallies. */
function tally(tallies: PropertyTally[], judgement: Judgement, iteration: number, prepared: Prepared): void {
  const names = prepared.processes.map((p) => p.name);
  judgement.verdicts.forEach((verdict, i) => {
    const t = tallies[i];
    if (verdict.reached) t.reachedIn++;
    if (verdict.violation === null) return;
    t.violatedIn++;
    t.first ??= {
      property: t.property, description: t.description, message: verdict.violation.message, iteration,
      steps: timelineSteps(judgement.events.slice(0, verdict.violation.events), names),
    };
  });
}
