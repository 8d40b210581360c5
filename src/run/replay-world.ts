/**
 * The world of a real run as the properties see it, rebuilt by re-executing its history on the pure models the
 * checker uses: the Redis servers, the broker, the shop's systems, and each process as it stood after its
 * latest recorded event. The same `property.test` functions then judge it, step by step.
 */
import type { ProcessView, StepView, WorldView } from '../../properties/property.ts';
import type { Prepared } from '../check/prepare.ts';
import { perfectClock } from '../sim/clock.ts';
import { RedisServers } from '../sim/redis-servers.ts';
import { BrokerModel } from '../world/amqp/broker.ts';
import { Effects } from '../world/effects/effects.ts';
import { parseServerKey } from './namespace.ts';

/**
 * A rebuilt world, advanced by the judge.
 * @example
 * const world = new ReplayWorld(prepared);
 * world.get('stock'); // null before the setup runs
 */
export class ReplayWorld implements WorldView {
  /** True time of the latest event, model ms. */
  now = 0;
  /** The latest step, when it was a command. */
  step: StepView | null = null;
  /** The Redis servers. */
  readonly redis: RedisServers;
  /** The broker. */
  readonly broker = new BrokerModel();
  /** The payment gateway, orders table and mailer. */
  readonly effects = new Effects();
  /** Each process as it stood after its latest event. */
  readonly processes: ProcessView[];

  constructor(prepared: Prepared) {
    this.redis = RedisServers.on(Array.from({ length: prepared.servers }, () => perfectClock));
    for (const queue of prepared.instance.queues ?? []) this.broker.declareQueue(queue.name, queue);
    this.processes = prepared.processes.map((p, i) => ({
      name: p.name, status: 'absent', inCritical: false, service: p.service,
      context: prepared.instance.processes[i].input as Record<string, unknown>,
    }));
  }

  /**
   * A key's value on the store at the current instant.
   * @example world.get('stock') // '0'
   */
  get(key: string): string | null {
    return this.redis.get(key, this.now);
  }

  /**
   * The value at true time `at` of the key a run names `name` (`stock` on the store, `@n:key` on instance n), or
   * `null` when it is absent or has a TTL — as the runner reads the real servers' keys at the end.
   * @example world.persistentValue('@2:lock:stock', 900) // null: a lock has a TTL
   */
  persistentValue(name: string, at: number): string | null {
    const place = parseServerKey(name);
    if (place === null) return null;
    const address = place.instance === 0 ? [] : [`@${place.instance}`];
    const probe = this.redis.clone();
    if (probe.exec([...address, 'PTTL', place.key], at).reply !== -1) return null;
    return probe.exec([...address, 'GET', place.key], at).reply as string | null;
  }
}
