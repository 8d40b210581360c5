/**
 * Throwaway `redis-server` processes for tests that need several Redis servers (Redlock on separate servers):
 * each on a free port of 127.0.0.1, with no persistence (nothing written to disk), stopped by the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** How long a server may take to accept connections. */
const START_MS = 5000;

/** A free port on 127.0.0.1, as the kernel hands one out (free when asked: a server starts on it at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** True once a TCP connection to `port` opens. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Starts one server on a free port; resolves once it accepts connections. */
async function startOne(): Promise<{ process: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => { output += String(chunk); });
  child.stderr!.on('data', (chunk) => { output += String(chunk); });
  const started = performance.now();
  while (!(await accepts(port))) {
    if (child.exitCode !== null || performance.now() - started > START_MS) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not start: ${output.trim().split('\n').at(-1) ?? ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { process: child, port };
}

/**
 * Some throwaway Redis servers.
 * @example
 * const servers = await ThrowawayRedis.start(5);
 * servers.urls; // ['redis://127.0.0.1:40213', …]
 * await servers.stop();
 */
export class ThrowawayRedis {
  private constructor(private readonly servers: readonly { process: ChildProcess; port: number }[]) {}

  /**
   * Starts `count` servers; if one fails to start, stops the others and rejects.
   * @example const servers = await ThrowawayRedis.start(5)
   */
  static async start(count: number): Promise<ThrowawayRedis> {
    const started = await Promise.allSettled(Array.from({ length: count }, () => startOne()));
    const servers = new ThrowawayRedis(started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])));
    const failure = started.find((s) => s.status === 'rejected');
    if (failure === undefined) return servers;
    await servers.stop();
    throw failure.reason;
  }

  /** Their URLs, in order. */
  get urls(): string[] {
    return this.servers.map(({ port }) => `redis://127.0.0.1:${port}`);
  }

  /** Their process ids. */
  get pids(): number[] {
    return this.servers.map(({ process }) => process.pid!);
  }

  /**
   * Stops every server (SIGTERM); resolves once all have exited.
   * @example await servers.stop()
   */
  async stop(): Promise<void> {
    await Promise.all(this.servers.map(({ process }) => new Promise<void>((resolve) => {
      if (process.exitCode !== null || process.signalCode !== null) return resolve();
      process.once('exit', () => resolve());
      process.kill('SIGTERM');
    })));
  }
}
