/**
 * The parent's side of a process run in child processes (--isolation process): it starts the process's
 * incarnation in its child, records what the child reports, answers its questions — which faults land before
 * this command, what the shop's systems reply — and lands the faults that are signals. A pause stops the whole
 * child (SIGSTOP) for the pause's length and continues it (SIGCONT), as a long GC pause or a stalled VM would; a
 * kill is SIGKILL, after which the operating system closes the child's sockets, RabbitMQ requeues what it had
 * not acked, and a service's supervisor starts a new incarnation in a new child after its delay. To the
 * iteration it is what a ProcessRunner is: something that runs, and is busy, idle or finished.
 */
import type { ProcessView } from '../../../properties/property.ts';
import { Aborted } from '../aborted.ts';
import type { LandingFault } from '../fault-injector.ts';
import type { HistoryEntry } from '../history.ts';
import type { Activity, RunServices } from '../run-services.ts';
import type { HistoryOrder } from './history-order.ts';
import { thrownAgain, type BeforeRequest, type FromChild, type Serial, type ShopAnswer, type ShopRequest } from './messages.ts';
import type { WorkerPool } from './worker-pool.ts';
import type { WorkerProcess } from './worker-process.ts';

/** What the forked runners of one iteration share. */
export interface ForkedIteration {
  /** Where children come from, and go back to. */
  readonly pool: WorkerPool;
  /** The iteration's namespace prefix. */
  readonly prefix: string;
  /** Numbers the shop's effects and merges the history at the end. */
  readonly order: HistoryOrder;
  /** Ready children for restarts (one per planned kill), taken in turn. */
  readonly spares: WorkerProcess[];
}

type Outcome = 'ended' | 'killed';
type Request<R> = R & { readonly id: number };

/**
 * A process whose incarnations run in child processes.
 * @example
 * const runner = new ForkedRunner(0, { name: 'W1', restart: true }, services, iteration, await pool.take());
 * await runner.run(arrivalMs);
 */
export class ForkedRunner {
  /** The child of the current incarnation (or of the next, when it has not started), `null` after a kill. */
  private worker: WorkerProcess | null;
  /** Set while an incarnation runs in `worker`: how it ends. */
  private settle: { resolve(outcome: Outcome): void; reject(error: unknown): void } | null = null;
  /** False once the child failed: it is not given back. */
  private healthy = true;
  private childActivity: Activity = 'busy';
  /** Effects of this process waiting for the shop (an empty outbox): it is idle meanwhile. */
  private waitingInShop = 0;
  private crashed = false;
  /** The process as its latest entry showed it (for an entry the parent makes about it: a stall's end). */
  private latestView: ProcessView | null = null;
  /** Aborts the current incarnation's waits in the parent: a pause, effects waiting for the shop. */
  private incarnation = new AbortController();

  constructor(readonly index: number, private readonly definition: { readonly name: string; readonly restart: boolean }, private readonly services: RunServices, private readonly iteration: ForkedIteration, first: WorkerProcess) {
    this.worker = first;
    services.ended.addEventListener('abort', () => {
      this.incarnation.abort();
      this.worker?.send({ kind: 'stop' });
    }, { once: true });
  }

  /** As a ProcessRunner's: busy, idle (awaiting a delivery, or an outbox row) or finished for good. */
  get activity(): Activity {
    if (this.crashed) return this.definition.restart ? 'busy' : 'finished';
    return this.waitingInShop > 0 ? 'idle' : this.childActivity;
  }

  /**
   * Arrives after `arrivalMs` (model ms), then runs until done, killed for good, or the end of the iteration.
   * @example await runner.run(0)
   */
  async run(arrivalMs: number): Promise<void> {
    try {
      if ((await this.incarnationRuns(arrivalMs, false)) === 'ended') return;
      while (this.definition.restart) {
        await this.restart();
        if ((await this.incarnationRuns(0, true)) === 'ended') return;
      }
    } catch (error) {
      if (!(error instanceof Aborted)) throw error;
    } finally {
      const worker = this.worker;
      this.worker = null;
      worker?.listen(null);
      if (worker && this.healthy && this.settle === null) this.iteration.pool.give(worker);
      else if (worker) await this.iteration.pool.discard(worker);
    }
  }

  /** One incarnation in the current child; a restarted one's arrival is recorded as its restart. */
  private incarnationRuns(arrivalMs: number, restarted: boolean): Promise<Outcome> {
    if (this.services.ended.aborted) throw new Aborted('stopped');
    const worker = this.worker!;
    const outcome = new Promise<Outcome>((resolve, reject) => { this.settle = { resolve, reject }; });
    worker.listen((message) => this.heard(message, restarted));
    void worker.gone.then(() => this.failed(worker, new Error(`the child process of ${this.definition.name} exited unexpectedly`)));
    const { clock } = this.services;
    worker.send({ kind: 'start', proc: this.index, prefix: this.iteration.prefix, origin: clock.origin, arriveAt: clock.now() + arrivalMs });
    return outcome;
  }

  /** A supervisor's restart, once the restart delay has passed: in a spare child, ready. */
  private async restart(): Promise<void> {
    await this.services.clock.sleep(this.services.restartDelayMs, this.services.ended);
    // One spare per planned kill: the pool only if a kill were somehow unplanned.
    this.worker = this.iteration.spares.pop() ?? (await this.iteration.pool.take());
    this.crashed = false;
    this.childActivity = 'busy';
    this.incarnation = new AbortController();
    this.services.faults.restarted(this.index);
  }

  private heard(message: FromChild, restarted: boolean): void {
    this.childActivity = message.activity;
    const fail = (error: unknown) => this.failed(this.worker, error);
    switch (message.kind) {
      case 'record': return this.record(restarted && message.entry.kind === 'arrive' ? { ...message.entry, kind: 'restart' } : message.entry, message.serial);
      case 'delivered': return this.services.faults.delivered(this.index);
      case 'before': return void this.before(message).catch(fail);
      case 'shop': return void this.shop(message).catch(fail);
      case 'ended': {
        const settle = this.settle;
        this.settle = null;
        if (message.error === undefined) return settle?.resolve('ended');
        this.healthy = false;
        return settle?.reject(thrownAgain(message.error, `the child process of ${this.definition.name}`));
      }
    }
  }

  private record(entry: HistoryEntry, serial: Serial | undefined): void {
    this.latestView = entry.view;
    this.services.history.record(entry);
    if (serial !== undefined) this.iteration.order.note(entry, serial);
  }

  /** Lands the faults due before the child's next command: pauses, kills and stalls here; a close or a disconnect by the child. */
  private async before(request: Request<BeforeRequest>): Promise<void> {
    const worker = this.worker!;
    const landing = await this.services.faults.before(this.index, request.command, request.critical);
    let channel = request.channel;
    const forChild: LandingFault[] = [];
    for (const [i, fault] of landing.entries()) {
      if (fault.kind === 'pause') await this.pause(worker, request.view, fault.ms);
      else if (fault.kind === 'kill') return this.kill(worker, request.view, channel);
      else if (fault.kind === 'stall') await this.services.stallRedis!(fault.ms, this.index, () => this.latestView ?? request.view);
      else if (fault.kind === 'close' && landing.slice(i + 1).some((f) => f.kind === 'kill')) {
        // The kill that follows drops the channel with the connection: the close is only recorded.
        if (channel !== null) this.services.history.record({ kind: 'close', at: this.services.clock.now(), proc: this.index, view: request.view, channel });
        channel = null;
      } else forChild.push(fault);
    }
    worker.send({ kind: 'answer', id: request.id, value: forChild });
  }

  /** The whole child stops for `ms` (model ms), whatever it was doing: its sockets fill, its timers wait. */
  private async pause(worker: WorkerProcess, view: ProcessView, ms: number): Promise<void> {
    const { history, clock } = this.services;
    history.record({ kind: 'pause', at: clock.now(), proc: this.index, view, ms });
    worker.signal('SIGSTOP');
    try {
      await clock.sleep(ms, this.incarnation.signal);
    } finally {
      worker.signal('SIGCONT');
    }
    history.record({ kind: 'resume', at: clock.now(), proc: this.index, view });
  }

  /**
   * SIGKILL. The crash is recorded once the child is gone, so that whatever it reported before it died comes
   * first, and at the instant of the signal, so that it precedes what the servers did about it (a redelivery).
   */
  private async kill(worker: WorkerProcess, view: ProcessView, channel: string | null): Promise<void> {
    const at = this.services.clock.now();
    const settle = this.settle;
    this.settle = null;
    this.crashed = true;
    this.incarnation.abort();
    this.worker = null;
    await this.iteration.pool.discard(worker);
    worker.listen(null);
    this.services.history.record({ kind: 'crash', at, proc: this.index, view: { ...view, status: 'crashed', inCritical: false }, channel });
    settle?.resolve('killed');
  }

  /** Runs an effect on the shop's systems for the child, numbering it as it executes. */
  private async shop(request: Request<ShopRequest>): Promise<void> {
    const worker = this.worker!;
    const { shop, clock } = this.services;
    const waits = shop.blocks(request.command);
    if (waits) this.waitingInShop++;
    let serial = 0;
    try {
      const now = () => {
        serial = this.iteration.order.effectExecuted();
        return clock.now();
      };
      const { reply, at } = await shop.exec(request.command, now, this.incarnation.signal);
      worker.send({ kind: 'answer', id: request.id, value: { reply, at, serial } satisfies ShopAnswer });
    } finally {
      if (waits) this.waitingInShop--;
    }
  }

  /** The incarnation in `worker` failed (an error, or the child died unasked): the iteration fails. */
  private failed(worker: WorkerProcess | null, error: unknown): void {
    if (error instanceof Aborted || worker === null || worker !== this.worker || this.settle === null) return;
    this.healthy = false;
    const settle = this.settle;
    this.settle = null;
    settle.reject(error);
  }
}
