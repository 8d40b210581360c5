/**
 * What ends one incarnation of a process: a kill, or the end of the iteration. Its sleeps (a pause, SLEEP,
 * the outbox) end on `signal`; its wait for the inbox is `park()`, ended by `unpark()` or the stop. Most
 * incarnations never wait — a lock cycle is two commands — and making an AbortSignal costs about as much as a
 * Redis command's client work, so the signal is made when a sleep first asks for it, and only once something
 * waits does the incarnation listen for the iteration's end (it stops listening when it is over, so a signal
 * shared by many processes gathers no listeners). A consumer parks once a message: that makes no closure and
 * adds no listener.
 */
import { Aborted } from './aborted.ts';

/**
 * The stop of one incarnation. It listens for the iteration's end itself (an `EventListenerObject`).
 * @example
 * const stop = new IncarnationStop(ended);
 * await clock.sleep(ms, stop.signal); // rejects with Aborted once killed or the iteration ends
 * await stop.park();                  // until stop.unpark(), or the stop
 * stop.kill();
 */
export class IncarnationStop {
  private killed = false;
  private listening = false;
  private controller: AbortController | null = null;
  private parked: { resolve(): void; reject(error: Aborted): void } | null = null;
  private parker: ((resolve: () => void, reject: (error: Aborted) => void) => void) | null = null;

  constructor(private readonly ended: AbortSignal) {}

  /**
   * Killed, or the iteration is over.
   * @example if (stop.stopped) throw new Aborted('stopped')
   */
  get stopped(): boolean {
    return this.killed || this.ended.aborted;
  }

  /**
   * Aborts when the incarnation stops (at once when it already has).
   * @example await clock.sleep(1000, stop.signal)
   */
  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.stopped) this.controller.abort();
      else this.listen();
    }
    return this.controller.signal;
  }

  /**
   * Waits until {@link unpark}, or rejects with {@link Aborted} when the incarnation stops. One wait at a time.
   * @example while (inbox.length === 0) await stop.park();
   */
  park(): Promise<void> {
    if (this.stopped) return Promise.reject(new Aborted('stopped'));
    this.listen();
    this.parker ??= (resolve, reject) => { this.parked = { resolve, reject }; };
    return new Promise(this.parker);
  }

  /**
   * Ends the wait of {@link park}, if there is one.
   * @example inbox.push(item); stop.unpark();
   */
  unpark(): void {
    const parked = this.parked;
    this.parked = null;
    parked?.resolve();
  }

  /**
   * The iteration ended (the `abort` event of its signal): the waits end.
   * @example ended.addEventListener('abort', stop, { once: true })
   */
  handleEvent(): void {
    this.controller?.abort();
    const parked = this.parked;
    this.parked = null;
    parked?.reject(new Aborted('stopped'));
  }

  /**
   * The process is killed: its waits end.
   * @example stop.kill()
   */
  kill(): void {
    this.killed = true;
    this.handleEvent();
    this.over();
  }

  /**
   * The incarnation is over: it no longer listens for the iteration's end.
   * @example stop.over()
   */
  over(): void {
    if (this.listening) this.ended.removeEventListener('abort', this);
    this.listening = false;
  }

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.ended.addEventListener('abort', this, { once: true });
  }
}
