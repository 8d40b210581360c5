/**
 * One child process of a run (--isolation process): forked from child-entry.mjs with no options of this
 * process's Node (it registers tsx itself), connected to the run's servers, then hosting one incarnation of a
 * scenario process after another — until a kill, or the end of the run. It is the unit of the real faults: a
 * pause stops it (SIGSTOP) and continues it (SIGCONT), a kill is SIGKILL, and the operating system closes its
 * sockets, so the servers see a client vanish as they would in production.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { thrownAgain, type FromChild, type ToChild } from './messages.ts';

const ENTRY = new URL('./child-entry.mjs', import.meta.url);
/** How long a child retired with a goodbye may take to close its connections before it is killed. */
const RETIRE_MS = 2000;

/** The signals a run sends: a pause's two, and a kill. */
export type FaultSignal = 'SIGSTOP' | 'SIGCONT' | 'SIGKILL';

/**
 * A forked child process and its IPC channel.
 * @example
 * const worker = new WorkerProcess({ kind: 'connect', redisUrl: undefined, amqpUrl: undefined, broker: false, job, timeScale: 20 });
 * await worker.ready;
 * worker.listen((message) => console.log(message.kind));
 * await worker.retire();
 */
export class WorkerProcess {
  /** Resolves once the child has connected to the servers; rejects with its reason (it is then killed). */
  readonly ready: Promise<void>;
  /** Resolves once the child has exited and every message it sent has been handled (its channel read to the end). */
  readonly gone: Promise<void>;
  private handler: ((message: FromChild) => void) | null = null;
  private started = false;
  private readonly child: ChildProcess;

  /**
   * Forks a child and has it connect to the servers.
   * @example const worker = new WorkerProcess({ kind: 'connect', redisUrl: 'redis://127.0.0.1:6379', amqpUrl: undefined, broker: false, job, timeScale: 20 }); await worker.ready
   */
  constructor(connect: Extract<ToChild, { kind: 'connect' }>) {
    // stdout stays the parent's alone (--json); the child's stderr is the parent's, for a crash's stack.
    this.child = fork(ENTRY, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    // 'close' does not always follow a disconnect the parent began: an exit and the channel's end do.
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    const disconnected = new Promise((resolve) => this.child.once('disconnect', resolve));
    this.gone = Promise.all([exited, disconnected]).then(() => undefined);
    this.child.on('message', (message: FromChild) => this.handler?.(message));
    // A send racing the child's death fails here rather than throwing: its exit tells the rest.
    this.child.on('error', () => undefined);
    this.ready = new Promise<void>((resolve, reject) => {
      this.handler = (message) => {
        if (message.kind === 'ready') resolve();
        if (message.kind === 'failed') reject(thrownAgain(message.error, 'a child process'));
      };
      void this.gone.then(() => reject(new Error('a child process exited as it started')));
    }).then(() => {
      this.handler = null;
      this.started = true;
    }, (error: unknown) => {
      this.handler = null;
      this.signal('SIGKILL');
      throw error;
    });
    // Whoever takes the child hears of a failure; nobody else must.
    this.ready.catch(() => undefined);
    this.send(connect);
  }

  /** True while the child runs and its channel is open. */
  get alive(): boolean {
    return this.child.connected && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Hands the child's messages to `handler` (its current owner), or to nobody.
   * @example worker.listen((message) => { if (message.kind === 'ended') … })
   */
  listen(handler: ((message: FromChild) => void) | null): void {
    this.handler = handler;
  }

  /**
   * Sends a message, unless the child is gone.
   * @example worker.send({ kind: 'stop' })
   */
  send(message: ToChild): void {
    if (this.child.connected) this.child.send(message);
  }

  /**
   * Sends a signal, unless the child has exited.
   * @example worker.signal('SIGSTOP')
   */
  signal(signal: FaultSignal): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /**
   * Ends the child: a ready one closes its connections and exits when its channel closes (child-main.ts), and is
   * killed if it has not within 2 s; one still starting is killed. Resolves once it is gone.
   * @example await worker.retire()
   */
  async retire(): Promise<void> {
    if (!this.started) this.signal('SIGKILL');
    // A stopped child could not hear the goodbye.
    this.signal('SIGCONT');
    if (this.child.connected) this.child.disconnect();
    const timer = setTimeout(() => this.signal('SIGKILL'), RETIRE_MS);
    await this.gone;
    clearTimeout(timer);
  }
}
