// `interleave run` on real Redis and RabbitMQ, with the processes in the test's process and each in a child
// process of its own: skipped with a printed reason when the servers are absent, failing under REQUIRE_SERVICES=1.
import { describe } from 'vitest';
import { acceptance } from './run-acceptance.ts';
import { AMQP_URL, REDIS_URL, service } from './services.ts';

const redis = await service('redis', REDIS_URL);
const amqp = await service('amqp', AMQP_URL);

describe.skipIf(!redis.available || !amqp.available)('on real servers', () => {
  acceptance('real', { redisUrl: REDIS_URL, amqpUrl: AMQP_URL });
});

describe.skipIf(!redis.available || !amqp.available)('on real servers, each process in a child process (real SIGSTOP, SIGCONT, SIGKILL)', () => {
  acceptance('real', { redisUrl: REDIS_URL, amqpUrl: AMQP_URL }, 'process');
});
