/**
 * A run's child process (--isolation process): it opens connections of its own to the run's servers and
 * prepares the run's variant, then runs the incarnations of processes its parent starts, one at a time
 * (child-incarnation.ts). It leaves Ctrl-C to the parent (which removes what the run made, then exits), and
 * exits itself when its channel to the parent closes: when the parent retires it, and when the parent is gone.
 */
import { rebuild } from '../../check/parallel/job.ts';
import { AmqpServer } from '../amqp-server.ts';
import { RedisFleet } from '../redis-fleet.ts';
import { TimeScale } from '../time-scale.ts';
import { ChildIncarnation, type Hosting } from './child-incarnation.ts';
import { wireError, type Connect, type FromChild, type ToChild } from './messages.ts';

let hosting: Hosting | null = null;
let current: ChildIncarnation | null = null;

/** Nothing is sent once the parent is gone: the child is on its way out. */
const send = (message: FromChild) => {
  if (process.connected) process.send!(message);
};

process.on('SIGINT', () => undefined);
process.on('disconnect', leave);
// The parent may have gone while this child was loading.
if (!process.connected) leave();

process.on('message', (message: ToChild) => {
  switch (message.kind) {
    case 'connect': return void connect(message);
    case 'start': {
      const incarnation = new ChildIncarnation(message, hosting!, send);
      current = incarnation;
      void incarnation.run().then((error) => {
        if (current === incarnation) current = null;
        send({ kind: 'ended', activity: incarnation.activity, ...(error ? { error: wireError(error) } : {}) });
      });
      return;
    }
    case 'answer': return current?.answer(message.id, message.value);
    case 'stop': return current?.stop();
  }
});

async function connect({ redisUrl, amqpUrl, broker, job, timeScale }: Connect): Promise<void> {
  try {
    // Prepared now rather than as the first incarnation starts, which would delay its arrival.
    const { prepared } = rebuild(job);
    const redis = await RedisFleet.open('real', redisUrl, prepared.servers);
    try {
      hosting = { redis, amqp: broker ? await AmqpServer.open('real', amqpUrl) : null, prepared, scale: new TimeScale(timeScale) };
    } catch (error) {
      await redis.close();
      throw error;
    }
    send({ kind: 'ready', activity: 'busy' });
  } catch (error) {
    send({ kind: 'failed', activity: 'busy', error: wireError(error) });
  }
}

function leave(): void {
  current?.stop();
  void Promise.allSettled([hosting?.redis.close(), hosting?.amqp?.close()]).finally(() => process.exit(0));
}
