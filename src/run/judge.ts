/**
 * Judging a real run with the checker's own properties: its history is re-executed, in the order it happened,
 * on the pure models (Redis commands at the instants of their windows placed by redis-replay.ts; the broker's
 * commands, deliveries and settlements by broker-replay.ts; the shop's systems), which yields a world view after
 * every event for the same `property.test` functions, and the checker's events for the same timeline. Wherever
 * a model answers other than the real server did, or ends in another state, that is a fidelity problem,
 * reported beside the verdict.
 */
import type { Command } from '../../models/protocol.ts';
import type { Property } from '../../properties/property.ts';
import type { Prepared } from '../check/prepare.ts';
import type { RunEvent } from '../sim/events.ts';
import { execBroker, isBrokerCommand } from '../world/amqp/commands.ts';
import { serverName } from '../report/timeline.ts';
import { addressedServer } from '../sim/redis-servers.ts';
import { isEffectCommand } from '../world/effects/effects.ts';
import type { KeyChange } from '../world/redis/types.ts';
import { BrokerReplay } from './broker-replay.ts';
import { bestReading, redisCommandsOf, type Reading } from './disconnect-readings.ts';
import { isRedisCommand, type HistoryEntry } from './history.ts';
import type { IterationRecord } from './iteration.ts';
import { parseServerKey, serverKey } from './namespace.ts';
import { placeOnHosts, SLACK_REAL_MS, type Placement } from './redis-replay.ts';
import { ReplayWorld } from './replay-world.ts';
import { afterStalls } from './stalled-windows.ts';

/** What became of one property in one iteration. */
export interface Verdict {
  readonly property: Property;
  /** For `always` and `eventually`: the first state that broke it, and how many events led there. */
  violation: { readonly message: string; readonly events: number } | null;
  /** For `sometimes`: reached. */
  reached: boolean;
}

/** An iteration judged. */
export interface Judgement {
  /** One verdict per property of the variant, in its order. */
  readonly verdicts: readonly Verdict[];
  /** False when the iteration was cut off, so its `eventually` properties were not judged. */
  readonly judged: boolean;
  /** The run as the checker's events (for the timeline). */
  readonly events: readonly RunEvent[];
  /** Where the models disagree with what the real servers did. */
  readonly fidelity: readonly string[];
}

const text = (value: unknown) => JSON.stringify(value) ?? 'undefined';

/** An entry whose command went to Redis (a disconnect's, too, when it ran). */
type RedisEntry = Extract<HistoryEntry, { kind: 'command' | 'disconnect' }>;

/**
 * Judges `record` of a run of `prepared`; `resolution` is one real millisecond in model ms (the time scale).
 * @example judge(prepared, record, 20).verdicts.filter((v) => v.violation)
 */
export function judge(prepared: Prepared, record: IterationRecord, resolution: number): Judgement {
  // A disconnect's command may have run here or there, or not at all: the reading that agrees best (disconnect-readings.ts).
  return bestReading(record.history.entries, SLACK_REAL_MS * resolution, (reading) => new Judge(prepared, resolution).run(record, reading));
}

class Judge {
  private readonly world: ReplayWorld;
  private readonly events: RunEvent[] = [];
  private readonly fidelity: string[] = [];
  private readonly verdicts: Verdict[];
  private readonly broker: BrokerReplay;
  /** Keys any command touched (`key` on the store, `@n:key` on instance n), for the final comparison. */
  private readonly touched = new Set<string>();
  /** Where each Redis command of the history executes on the model, in order, and how many were executed. */
  private placements: readonly Placement[] = [];
  private placed = 0;
  private expiriesShownTo = 0;
  /** The history being judged (as read), and how far. */
  private entries: readonly HistoryEntry[] = [];
  /** The disconnects whose command never ran, as read. */
  private unrun: ReadonlySet<HistoryEntry> = new Set();
  private next = 0;

  constructor(private readonly prepared: Prepared, private readonly resolution: number) {
    this.world = new ReplayWorld(prepared);
    this.verdicts = prepared.instance.properties.map((property) => ({ property, violation: null, reached: false }));
    this.broker = new BrokerReplay(this.world.broker, { events: this.events, fidelity: this.fidelity }, (proc) => this.name(proc));
  }

  run(record: IterationRecord, reading: Reading): Judgement {
    for (const { command, reply } of record.history.setup) this.setup(command, reply);
    ({ entries: this.entries, unrun: this.unrun } = reading);
    const hostOf = (command: Command) => record.redisHosts[addressedServer(command)] ?? 0;
    const commands = afterStalls(redisCommandsOf(reading), this.entries, (command) => hostOf(command) === (record.redisHosts[0] ?? 0));
    this.placements = placeOnHosts(this.world.redis, commands, this.resolution, (c) => hostOf(c.command));
    for (this.next = 0; this.next < this.entries.length; this.next++) {
      const entry = this.entries[this.next];
      this.world.step = null;
      this.apply(entry);
      this.world.processes[entry.proc] = entry.view;
      this.evaluate('always');
    }
    const end = Math.max(this.world.now, Math.round(record.endedAt));
    this.advanceTo(end);
    this.world.step = null;
    if (record.quiesced) this.evaluate('eventually');
    this.compareFinalState(record, end);
    return { verdicts: this.verdicts, judged: record.quiesced, events: this.events, fidelity: this.fidelity };
  }

  private setup(command: Command, reply: unknown): void {
    let model: unknown;
    if (isBrokerCommand(command)) model = execBroker(this.world.broker, 'setup', command).reply;
    else if (isEffectCommand(command)) model = this.world.effects.exec(command, 0);
    else {
      const outcome = this.world.redis.exec(command, 0);
      this.note(outcome.changes, addressedServer(command));
      model = outcome.reply;
    }
    if (text(model) !== text(reply)) this.fidelity.push(`setup ${command.join(' ')}: the server answered ${text(reply)}, the model ${text(model)}`);
  }

  private apply(entry: HistoryEntry): void {
    const base = { proc: entry.proc };
    if (entry.kind === 'command' && isRedisCommand(entry.command)) return this.redisCommand(entry);
    if (entry.kind === 'disconnect') return this.disconnect(entry);
    const t = this.advanceTo(Math.round(entry.at));
    const at = { ...base, t, clock: t };
    switch (entry.kind) {
      case 'arrive': case 'resume': case 'restart': case 'done': case 'closed': this.events.push({ kind: entry.kind, ...at }); return;
      case 'pause': this.events.push({ kind: 'pause', ...at, ms: entry.ms }); return;
      case 'stall': this.events.push({ kind: 'stall', t, clock: t, ms: entry.ms }); return;
      case 'stall-over': this.events.push({ kind: 'stall-over', t, clock: t }); return;
      case 'crash':
      case 'close':
        this.events.push({ kind: entry.kind, ...at });
        if (entry.channel) this.broker.closeChannel(entry.channel, t);
        return;
      case 'deliver': return this.broker.deliver(this.entries, this.next, t);
      case 'command': return this.otherCommand(entry, t);
    }
  }

  private redisCommand(entry: RedisEntry): void {
    const { t, changes } = this.execRedis(entry);
    this.command(entry, t, changes);
  }

  /** Executes the next placed Redis command on the model, at its place; a reply unlike the server's is a fidelity problem. */
  private execRedis(entry: RedisEntry): { t: number; reply: unknown; changes: readonly KeyChange[] } {
    const { at, agrees } = this.placements[this.placed++];
    const t = this.advanceTo(at);
    const { reply, changes } = this.world.redis.exec(entry.command, at);
    if (!agrees) this.disagree(entry, reply);
    this.note(changes, addressedServer(entry.command));
    return { t, reply, changes };
  }

  /** A killed connection, as read: its command answered, run without a reply, or never run. */
  private disconnect(entry: Extract<HistoryEntry, { kind: 'disconnect' }>): void {
    const { proc, command } = entry;
    if (this.unrun.has(entry)) {
      const t = this.advanceTo(Math.round(entry.at));
      this.events.push({ kind: 'disconnect', t, proc, clock: t, command, outcome: 'not-run', reply: null });
      return;
    }
    const { t, reply, changes } = this.execRedis(entry);
    if (entry.answered) this.command(entry, t, changes);
    else this.world.step = { proc, command, reply, changes };
    this.events.push({ kind: 'disconnect', t, proc, clock: t, command, outcome: entry.answered ? 'answered' : 'ran', reply });
  }

  private otherCommand(entry: Extract<HistoryEntry, { kind: 'command' }>, t: number): void {
    const { command, reply } = entry;
    if (isEffectCommand(command)) {
      // At the instant the real systems executed it (the effects model reads time only for key retention).
      const model = this.world.effects.exec(command, Math.round(entry.at));
      if (text(model) !== text(reply)) this.disagree(entry, model);
    } else if (isBrokerCommand(command)) {
      const model = this.broker.command(this.entries, this.next, t);
      if (!model.agrees) this.disagree(entry, model.reply);
    }
    const until = command[0] === 'SLEEP' ? { until: Math.round(entry.invokedAt) + Number(command[1]) } : {};
    this.command(entry, t, [], until);
  }

  private command(entry: RedisEntry, t: number, changes: readonly KeyChange[], extra: { until?: number } = {}): void {
    const { proc, command, reply } = entry;
    this.world.step = { proc, command, reply, changes };
    this.events.push({ kind: 'command', t, proc, clock: t, command, reply, changes, ...extra });
  }

  /**
   * Moves true time forward to `t` (never back: events recorded out of order by a hair keep the latest time),
   * showing the keys that expired meanwhile; returns the time now.
   */
  private advanceTo(t: number): number {
    const now = Math.max(this.world.now, t);
    if (now > this.expiriesShownTo) {
      for (const event of this.world.redis.passing(this.expiriesShownTo, now)) if (event.kind === 'expire') this.events.push(event);
      this.expiriesShownTo = now;
    }
    this.world.now = now;
    return now;
  }

  private evaluate(kind: 'always' | 'eventually'): void {
    for (const verdict of this.verdicts) {
      const { property } = verdict;
      if (property.kind === 'sometimes') verdict.reached ||= property.test(this.world);
      else if (property.kind === kind && verdict.violation === null && !property.test(this.world)) {
        verdict.violation = { message: property.explain(this.world), events: this.events.length };
      }
    }
  }

  /** The real end state against the model's: every Redis server's persistent keys, and the shop's systems. */
  private compareFinalState(record: IterationRecord, end: number): void {
    for (const name of [...new Set([...record.finalRedis.keys(), ...this.touched])].sort()) {
      const model = this.world.persistentValue(name, end);
      const real = record.finalRedis.get(name) ?? null;
      const place = parseServerKey(name);
      const key = place === null || place.instance === 0 ? name : `${place.key} on ${serverName(place.instance)}`;
      if (model !== real) this.fidelity.push(`at the end, ${key} is ${text(real)} on the server${real === null ? ' (or has a TTL)' : ''} but ${text(model)} in the model${model === null ? ' (or has a TTL)' : ''}`);
    }
    if (record.effects.fingerprint(end) !== this.world.effects.fingerprint(end)) {
      this.fidelity.push(`at the end, the shop's systems differ: ${record.effects.fingerprint(end)} really, ${this.world.effects.fingerprint(end)} in the model`);
    }
  }

  private disagree(entry: RedisEntry, model: unknown): void {
    const window = `sent at t=${Math.round(entry.invokedAt)}, answered at t=${Math.round(entry.at)}`;
    this.fidelity.push(`${this.name(entry.proc)}: ${entry.command.join(' ')} (${window}) answered ${text(entry.reply)} on the server, ${text(model)} in the model`);
  }

  private note(changes: readonly KeyChange[], server: number): void {
    for (const change of changes) this.touched.add(serverKey(change.key, server));
  }

  private name(proc: number): string {
    return this.prepared.processes[proc].name;
  }
}
