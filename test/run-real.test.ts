// `interleave run` on real Redis and RabbitMQ: skipped with a printed reason when they are absent, failing
// under REQUIRE_SERVICES=1.
import { describe } from 'vitest';
import { acceptance } from './run-acceptance.ts';
import { AMQP_URL, REDIS_URL, service } from './services.ts';

const redis = await service('redis', REDIS_URL);
const amqp = await service('amqp', AMQP_URL);

describe.skipIf(!redis.available || !amqp.available)('on real servers', () => {
  acceptance('real', { redisUrl: REDIS_URL, amqpUrl: AMQP_URL });
});
