/**
 * The child processes of a run (--isolation process), kept warm. Starting one (Node, tsx, the sources, its
 * connections) takes the better part of a second, many times a lock's lifetime at a time scale: so children
 * are started before the iterations need them, an iteration takes all it may need before its clock starts
 * (process-isolation.ts), and a child whose process ended goes back for the next iteration. A killed child is
 * replaced at once, in the background, so the pool stays as large as it was warmed.
 */
import { WorkerProcess } from './worker-process.ts';
import type { ToChild } from './messages.ts';

/**
 * A run's pool of child processes.
 * @example
 * const pool = new WorkerPool({ kind: 'connect', redisUrl, amqpUrl, broker: false, job, timeScale: 20 });
 * pool.warm(3);
 * const worker = await pool.take();
 * pool.give(worker);
 * await pool.close();
 */
export class WorkerPool {
  /** Ready, and not in use. */
  private readonly idle: WorkerProcess[] = [];
  /** Forked, not known to be ready yet, not taken. */
  private readonly starting: WorkerProcess[] = [];
  private readonly all = new Set<WorkerProcess>();
  private closed = false;

  constructor(private readonly connect: Extract<ToChild, { kind: 'connect' }>) {}

  /**
   * Starts `count` children in the background.
   * @example pool.warm(8)
   */
  warm(count: number): void {
    for (let i = 0; i < count; i++) this.starting.push(this.fork());
  }

  /**
   * A ready child: an idle one, else the next to finish starting, else a new one.
   * @example const worker = await pool.take()
   */
  async take(): Promise<WorkerProcess> {
    for (let idle = this.idle.pop(); idle; idle = this.idle.pop()) {
      if (idle.alive) return idle;
      // It died while it waited: nothing else notices.
      void this.retire(idle);
    }
    const worker = this.starting.shift() ?? this.fork();
    await worker.ready;
    return worker;
  }

  /**
   * Takes back a child whose process ended (its broker connections closed): the next iteration may use it.
   * @example pool.give(worker)
   */
  give(worker: WorkerProcess): void {
    if (this.closed || !worker.alive) void this.retire(worker);
    else this.idle.push(worker);
  }

  /**
   * Kills a child (a fault, or a failure) and starts another in its place.
   * @example await pool.discard(worker)
   */
  async discard(worker: WorkerProcess): Promise<void> {
    worker.signal('SIGKILL');
    if (!this.closed) this.starting.push(this.fork());
    await worker.gone;
    this.all.delete(worker);
  }

  /**
   * Ends every child, idle, starting or still in use (after a failure); resolves once all are gone.
   * @example await pool.close()
   */
  async close(): Promise<void> {
    this.closed = true;
    this.idle.length = 0;
    this.starting.length = 0;
    await Promise.all([...this.all].map((worker) => this.retire(worker)));
  }

  private fork(): WorkerProcess {
    const worker = new WorkerProcess(this.connect);
    this.all.add(worker);
    void worker.gone.then(() => this.all.delete(worker));
    return worker;
  }

  private async retire(worker: WorkerProcess): Promise<void> {
    await worker.retire();
    this.all.delete(worker);
  }
}
