/**
 * Real-service availability for tests that need a Redis or RabbitMQ server (or a program that starts one). A
 * test file awaits `service(...)` (or calls `program(...)`) once; when the server is absent its tests skip with a
 * printed reason, except under `REQUIRE_SERVICES=1` (CI), where absence fails the run.
 */
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';

/** Whether a server answered, and if not, why its tests skip. */
export interface ServiceStatus {
  /** True when a TCP connection to the server opened. */
  readonly available: boolean;
  /** The URL probed. */
  readonly url: string;
}

/** Whether a program is installed, and which. */
export interface ProgramStatus {
  /** True when the program ran. */
  readonly available: boolean;
  /** Its name, as looked up on the PATH. */
  readonly program: string;
}

/** The Redis URL tests use (`REDIS_URL`, default the local server). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The AMQP URL tests use (`AMQP_URL`, default the local RabbitMQ with guest/guest). */
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Opens and closes one TCP connection to `url`'s host and port, within 1 s. */
function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Probes a service; prints why its tests skip when it is absent, and throws when `REQUIRE_SERVICES=1`.
 * @example const redis = await service('redis', REDIS_URL); describe.skipIf(!redis.available)('on real Redis', ...)
 */
export async function service(name: 'redis' | 'amqp', url: string): Promise<ServiceStatus> {
  const available = await reachable(url, name === 'redis' ? 6379 : 5672);
  if (!available) {
    const reason = `${name} is not reachable at ${url}`;
    if (process.env.REQUIRE_SERVICES === '1') throw new Error(`${reason}, and REQUIRE_SERVICES=1 requires it`);
    console.warn(`skipping ${name} tests: ${reason}`);
  }
  return { available, url };
}

/**
 * Looks for a program on the PATH (runs `program --version`); prints why its tests skip when it is absent, and
 * throws when `REQUIRE_SERVICES=1`.
 * @example const redisServer = program('redis-server'); describe.skipIf(!redisServer.available)('on throwaway servers', ...)
 */
export function program(name: string): ProgramStatus {
  const available = spawnSync(name, ['--version'], { stdio: 'ignore', timeout: 5000 }).status === 0;
  if (!available) {
    const reason = `${name} is not installed (not found on the PATH)`;
    if (process.env.REQUIRE_SERVICES === '1') throw new Error(`${reason}, and REQUIRE_SERVICES=1 requires it`);
    console.warn(`skipping ${name} tests: ${reason}`);
  }
  return { available, program: name };
}
