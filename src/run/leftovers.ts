/**
 * Removing what a run made — its keys (by prefix, with SCAN) and its queues (by name) — at the end of every
 * iteration, after a failure, and on Ctrl-C. Never FLUSHALL/FLUSHDB: the servers may be shared.
 */
import type { AmqpServer } from './amqp-server.ts';
import type { Namespace } from './namespace.ts';
import type { RedisFleet } from './redis-fleet.ts';

/** The servers a run talks to. */
export interface Servers {
  /** The Redis servers (real or ioredis-mock). */
  readonly redis: RedisFleet;
  /** The broker, when the scenario uses one. */
  readonly amqp: AmqpServer | null;
}

/** What one iteration made: every key under its namespace, and these queues (wire names). */
export interface Made {
  /** Its namespace: every key under its prefix is its own. */
  readonly namespace: Namespace;
  /** The queues it declared, by wire name. */
  readonly queues: readonly string[];
  /** Stops the iteration's processes, so that nothing writes after the cleanup. */
  stop(): Promise<void>;
}

/**
 * Deletes everything `made` names; each deletion is tried even when another fails.
 * @example await removeLeftovers(servers, made) // every key under made.namespace, every queue in made.queues
 */
export async function removeLeftovers(servers: Servers, made: Made): Promise<void> {
  const failures: string[] = [];
  await servers.redis.deleteMatching(made.namespace.keyPattern).catch((e: Error) => failures.push(e.message));
  for (const queue of made.queues) {
    await servers.amqp?.admin.deleteQueue(queue).catch((e: Error) => failures.push(e.message));
  }
  if (failures.length > 0) throw new Error(`could not remove everything under ${made.namespace.prefix}: ${failures[0]}`);
}

/**
 * While a run is on, Ctrl-C removes what its iterations in progress made before the process exits (130).
 * Returns the function that takes the handler off again.
 * @example const release = onInterrupt(servers, inProgress); try { … } finally { release() }
 */
export function onInterrupt(servers: Servers, inProgress: ReadonlySet<Made>): () => void {
  const handler = () => {
    const prefixes = [...inProgress].map((made) => made.namespace.prefix).join(', ');
    process.stderr.write(`interleave: interrupted; removing the keys and queues under ${prefixes || 'no namespace'}\n`);
    const removals = [...inProgress].map(async (made) => {
      await made.stop();
      await removeLeftovers(servers, made);
    });
    void Promise.allSettled(removals).finally(() => process.exit(130));
  };
  process.once('SIGINT', handler);
  return () => process.off('SIGINT', handler);
}
