/**
 * One incarnation of a process in a child process (--isolation process): the same ProcessRunner as in process,
 * on the child's own Redis and broker connections, with stand-ins for what the parent owns — the history (each
 * entry is sent to it), the fault injector (asked before every command; it answers only what the child lands
 * itself, a channel close or a disconnect, since pauses, kills and stalls are the parent's) and the shop's
 * systems (asked to execute each effect). Each Redis command is numbered by its server (`execNumbered`, a
 * counter per server), each effect by the parent, so the parent can put the history in the servers' order
 * (history-order.ts).
 */
import type { Command } from '../../../models/protocol.ts';
import type { Prepared } from '../../check/prepare.ts';
import type { EffectCommand } from '../../world/effects/effects.ts';
import { Aborted } from '../aborted.ts';
import type { AmqpServer } from '../amqp-server.ts';
import { BrokerSession } from '../broker-session.ts';
import type { LandingFault } from '../fault-injector.ts';
import type { HistoryEntry } from '../history.ts';
import { commandOnKilledConnection } from '../killed-connection.ts';
import { Namespace } from '../namespace.ts';
import { ProcessRunner } from '../process-runner.ts';
import type { Activity, RunServices } from '../run-services.ts';
import type { RedisFleet } from '../redis-fleet.ts';
import { RunClock } from '../run-clock.ts';
import type { TimeScale } from '../time-scale.ts';
import type { BeforeRequest, ChildReport, FromChild, Serial, ShopAnswer, ShopRequest, Start } from './messages.ts';

/**
 * How often a change of activity with nothing else to report is looked for, real ms: a safety net, since one is
 * looked for just after each report (a process goes idle right after recording its command).
 */
const ACTIVITY_MS = 10;
/** The key, in the iteration's namespace, whose INCR numbers its Redis commands (`@`: not one of the store's keys). */
const SERIAL_KEY = '@serial';

/** What a child holds for all the incarnations it hosts. */
export interface Hosting {
  /** Its own connections to the Redis servers. */
  readonly redis: RedisFleet;
  /** Its broker, when the run has one (each incarnation's session opens a connection of its own). */
  readonly amqp: AmqpServer | null;
  /** The run's variant, prepared as the parent prepared it. */
  readonly prepared: Prepared;
  /** The run's time scale. */
  readonly scale: TimeScale;
}

/**
 * A process's incarnation in this child.
 * @example
 * const incarnation = new ChildIncarnation(start, hosting, (message) => process.send!(message));
 * const error = await incarnation.run(); // null unless it failed
 */
export class ChildIncarnation {
  private readonly ended = new AbortController();
  private readonly asked = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private asks = 0;
  private readonly runner: ProcessRunner;
  private session: BrokerSession | null = null;
  /** The number of the Redis command or effect just executed, for its history entry. */
  private serial: Serial | null = null;
  private reported: Activity = 'busy';
  private readonly clock: RunClock;
  private looking = false;

  constructor(private readonly start: Start, hosting: Hosting, private readonly send: (message: FromChild) => void) {
    const { prepared, scale, redis, amqp } = hosting;
    const namespace = new Namespace(start.prefix);
    this.clock = new RunClock(scale, start.origin);
    const services: RunServices = {
      clock: this.clock,
      history: { record: (entry) => this.report({ kind: 'record', entry, ...this.serialOf(entry) }) },
      faults: {
        before: (_proc, command, critical) => this.ask<LandingFault[]>({ kind: 'before', command, critical, view: this.runner.view(), channel: this.session?.consumingChannel ?? null }),
        delivered: () => this.report({ kind: 'delivered' }),
        restarted: () => undefined,
      },
      shop: {
        exec: async (command: EffectCommand) => {
          const { reply, at, serial } = await this.ask<ShopAnswer>({ kind: 'shop', command });
          this.serial = { stream: 'shop', n: serial };
          return { reply, at };
        },
        // The parent knows when an effect waits (for an outbox row), and reports the process idle meanwhile.
        blocks: () => false,
      },
      redis: async (cmd: Command) => {
        // Each host numbers the commands it executes, on a counter of its own.
        const host = redis.host(cmd);
        const { reply, serial } = await host.connection.execNumbered(scale.redisCommand(namespace.redisCommand(cmd)), namespace.key(SERIAL_KEY));
        this.serial = serial === null ? null : { stream: host.name, n: serial };
        return scale.redisReply(cmd, reply);
      },
      killConnectionDuring: (cmd, executes) => commandOnKilledConnection(redis.host(cmd).connection, cmd, { namespace, scale, executes }),
      brokerSession: (listener, channelName) => (amqp ? (this.session = new BrokerSession(amqp, namespace, channelName, listener)) : null),
      // A kill is the parent's SIGKILL, and the restart a new incarnation it starts.
      restartDelayMs: 0,
      ended: this.ended.signal,
    };
    const { machine, input } = prepared.instance.processes[start.proc];
    const { name, service } = prepared.processes[start.proc];
    this.runner = new ProcessRunner(start.proc, { name, machine, input, restart: false, service }, services);
  }

  /** The process's activity now. */
  get activity(): Activity {
    return this.runner.activity;
  }

  /**
   * Runs the incarnation until it is done or stopped; resolves to its failure, or `null`.
   * @example const error = await incarnation.run()
   */
  async run(): Promise<unknown> {
    const watch = setInterval(() => this.reportActivity(), ACTIVITY_MS);
    try {
      await this.runner.run(Math.max(0, this.start.arriveAt - this.clock.now()));
      return null;
    } catch (error) {
      return error;
    } finally {
      clearInterval(watch);
      this.stop();
    }
  }

  /**
   * The parent's answer to request `id`.
   * @example incarnation.answer(3, [])
   */
  answer(id: number, value: unknown): void {
    this.asked.get(id)?.resolve(value);
    this.asked.delete(id);
  }

  /**
   * The iteration is over: every wait ends, every request still unanswered is dropped.
   * @example incarnation.stop()
   */
  stop(): void {
    this.ended.abort();
    for (const { reject } of this.asked.values()) reject(new Aborted('stopped'));
    this.asked.clear();
  }

  private ask<T>(request: BeforeRequest | ShopRequest): Promise<T> {
    if (this.ended.signal.aborted) return Promise.reject(new Aborted('stopped'));
    const id = ++this.asks;
    return new Promise<T>((resolve, reject) => {
      this.asked.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.report({ ...request, id });
    });
  }

  private report(message: ChildReport): void {
    this.reported = this.runner.activity;
    this.send({ ...message, activity: this.reported });
    if (this.looking) return;
    // Once the runner has gone on as far as it can (into a wait for a delivery, say).
    this.looking = true;
    setImmediate(() => {
      this.looking = false;
      this.reportActivity();
    });
  }

  /** Reports a change of activity; none once the incarnation is stopped (the child may serve another next). */
  private reportActivity(): void {
    if (!this.ended.signal.aborted && this.runner.activity !== this.reported) this.report({ kind: 'activity' });
  }

  /** The number of the command `entry` records, taken once. */
  private serialOf(entry: HistoryEntry): { serial?: Serial } {
    const serial = entry.kind === 'command' ? this.serial : null;
    if (serial === null) return {};
    this.serial = null;
    return { serial };
  }
}

