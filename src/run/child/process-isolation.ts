/**
 * `--isolation process`: every process of an iteration in a child process of its own, with its own connections
 * to the real servers, paused and killed by signals (forked-runner.ts). Per run: the checks (a real backend, a
 * built-in scenario, POSIX signals) and the pool of children. Per iteration: its children, taken before its
 * clock starts — one per process, and one per planned kill when a supervisor restarts killed processes, so that
 * a restart comes after the supervisor's delay and not after a child's start-up — the runners they go to, and
 * the history merged in the servers' order at the end.
 */
import { scenarios } from '../../../models/index.ts';
import { UsageError, type Prepared } from '../../check/prepare.ts';
import type { FaultPlan } from '../fault-plan.ts';
import type { History } from '../history.ts';
import type { RunServices } from '../run-services.ts';
import { ForkedRunner, type ForkedIteration } from './forked-runner.ts';
import { HistoryOrder } from './history-order.ts';
import { WorkerPool } from './worker-pool.ts';
import type { WorkerProcess } from './worker-process.ts';

/** What the children of a run connect to, and how many iterations are in flight at once. */
export interface IsolationSettings {
  /** Real Redis URL or comma-separated list (`undefined`: the default). */
  readonly redisUrl: string | undefined;
  /** Real RabbitMQ URL (`undefined`: the default). */
  readonly amqpUrl: string | undefined;
  /** The scenario uses the broker. */
  readonly broker: boolean;
  /** Iterations in flight at once. */
  readonly parallel: number;
  /** Model ms per real ms. */
  readonly timeScale: number;
  /** The most kills an iteration plans (after a delivery, and before a publish). */
  readonly kills: number;
}

/**
 * A run's process isolation.
 * @example
 * const isolation = ProcessIsolation.open(prepared, 'real', settings);
 * const iteration = await isolation.take(prefix, plan);
 * await isolation.close();
 */
export class ProcessIsolation {
  private constructor(private readonly pool: WorkerPool, private readonly processes: number, private readonly restarts: boolean) {}

  /**
   * Checks that `prepared` can run so, and starts the children of the first iterations; a `UsageError` when
   * it cannot run so.
   * @example ProcessIsolation.open(prepared, 'embedded', settings) // UsageError: --isolation process needs --backend real …
   */
  static open(prepared: Prepared, backend: 'embedded' | 'real', settings: IsolationSettings): ProcessIsolation {
    if (backend !== 'real') throw new UsageError('--isolation process needs --backend real: the embedded servers live in this process, out of its children\'s reach');
    if (process.platform === 'win32') throw new UsageError('--isolation process needs POSIX signals (SIGSTOP, SIGCONT, SIGKILL), which Windows does not have');
    if (!scenarios.includes(prepared.scenario)) throw new UsageError(`--isolation process runs built-in scenarios only ('${prepared.scenario.name}' is not one: a child process finds a scenario by its name)`);
    const { redisUrl, amqpUrl, broker, parallel, timeScale, kills } = settings;
    const processes = prepared.processes.length;
    const restarts = prepared.processes.some((p) => p.restart);
    const job = { scenario: prepared.scenario.name, variant: prepared.variant.name, params: prepared.params, seed: prepared.seed, properties: [] };
    const pool = new WorkerPool({ kind: 'connect', redisUrl, amqpUrl, broker, job, timeScale });
    pool.warm(parallel * (processes + (restarts ? kills : 0)));
    return new ProcessIsolation(pool, processes, restarts);
  }

  /**
   * The children of an iteration under `prefix` with fault plan `plan`, ready.
   * @example const iteration = await isolation.take(namespace.prefix, plan)
   */
  async take(prefix: string, plan: FaultPlan): Promise<IsolatedIteration> {
    const kills = plan.afterDelivery.filter((f) => f.kind === 'kill').length + plan.publishKills;
    const count = this.processes + (this.restarts ? kills : 0);
    const taken = await Promise.allSettled(Array.from({ length: count }, () => this.pool.take()));
    const workers = taken.flatMap((t) => (t.status === 'fulfilled' ? [t.value] : []));
    const failure = taken.find((t) => t.status === 'rejected');
    if (failure !== undefined) {
      for (const worker of workers) this.pool.give(worker);
      throw failure.reason;
    }
    const spares = workers.splice(this.processes);
    return new IsolatedIteration(workers, { pool: this.pool, prefix, order: new HistoryOrder(), spares });
  }

  /**
   * Ends every child; resolves once all are gone.
   * @example await isolation.close()
   */
  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * An iteration's processes in child processes.
 * @example
 * const runners = prepared.processes.map((p, i) => iteration.runner(i, p, services));
 * iteration.ordered(history);
 */
export class IsolatedIteration {
  constructor(private readonly workers: (WorkerProcess | null)[], private readonly iteration: ForkedIteration) {}

  /**
   * The runner of process `index`, with its child.
   * @example iteration.runner(0, { name: 'A', restart: false }, services)
   */
  runner(index: number, definition: { readonly name: string; readonly restart: boolean }, services: RunServices): ForkedRunner {
    const worker = this.workers[index]!;
    this.workers[index] = null;
    return new ForkedRunner(index, definition, services, this.iteration, worker);
  }

  /**
   * Puts `history` in the servers' order (history-order.ts).
   * @example iteration.ordered(history)
   */
  ordered(history: History): void {
    this.iteration.order.apply(history);
  }

  /**
   * Gives back the children no runner took: spares no restart needed, and all of them when the iteration
   * failed before its processes started.
   * @example iteration.release()
   */
  release(): void {
    for (const worker of [...this.workers, ...this.iteration.spares.splice(0)]) if (worker !== null) this.iteration.pool.give(worker);
    this.workers.fill(null);
  }
}
