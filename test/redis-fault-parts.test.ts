// The pure parts of the runner's Redis faults: planning disconnects and stalls from the seed, landing them, the
// judge's readings of a command whose connection was killed, the windows of writes a stall held, and the words
// and marks they get in a timeline. No servers.
import { describe, expect, it } from 'vitest';
import type { Command } from '../models/protocol.ts';
import { bestReading, redisCommandsOf, type Reading } from '../src/run/disconnect-readings.ts';
import { FaultInjector } from '../src/run/fault-injector.ts';
import { planFaults, type FaultOptions, type FaultPlan } from '../src/run/fault-plan.ts';
import type { HistoryEntry } from '../src/run/history.ts';
import { placeRedisCommands } from '../src/run/redis-replay.ts';
import { afterStalls } from '../src/run/stalled-windows.ts';
import { describeEvent } from '../src/report/describe.ts';
import { readStep } from '../src/report/step-reading.ts';
import { perfectClock } from '../src/sim/clock.ts';
import { createPrng } from '../src/sim/prng.ts';
import { RedisServers } from '../src/sim/redis-servers.ts';

const NONE: FaultOptions = { pauses: 2, deliveryPauses: 0, pauseMs: 2000, kills: 1, closes: 1, publishKills: 0, arrivalsMs: 2000, disconnects: 0, stalls: 0, stallMs: 0 };

describe('planning disconnects and stalls', () => {
  it('draws them after everything else, so that a seed plans the other faults as before', () => {
    const without = planFaults(NONE, 3, createPrng(9));
    expect(without).not.toHaveProperty('disconnects');
    const plan = planFaults({ ...NONE, disconnects: 2, stalls: 1, stallMs: 1000 }, 3, createPrng(9));
    expect(plan).toMatchObject(without);
    expect(plan).toEqual(planFaults({ ...NONE, disconnects: 2, stalls: 1, stallMs: 1000 }, 3, createPrng(9)));
    expect(plan.disconnects!.map((d) => d.entrant)).toEqual([0, 1]);
    expect(plan.stalls!.map((s) => s.entrant)).toEqual([0]);
    expect(plan.stallMs).toBe(1000);
    for (const planned of [...plan.disconnects!, ...plan.stalls!]) expect(planned.command).toBeGreaterThanOrEqual(1);
    for (const planned of [...plan.disconnects!, ...plan.stalls!]) expect(planned.command).toBeLessThanOrEqual(3);
  });

  it('lets the seed decide, on the embedded backend, whether a disconnected command ran', () => {
    const executes = Array.from({ length: 40 }, (_, seed) => planFaults({ ...NONE, disconnects: 1 }, 3, createPrng(seed)).disconnects![0].executes);
    expect(new Set(executes)).toEqual(new Set([true, false]));
  });
});

describe('landing disconnects and stalls', () => {
  const plan = (extra: Partial<FaultPlan>): FaultPlan => ({ arrivals: [0, 0], pauses: [], pauseMs: 0, afterDelivery: [], publishKills: 0, ...extra });

  it('disconnects the k-th entrant before its c-th command there, or its first command to the store after it', () => {
    const faults = new FaultInjector(plan({ disconnects: [{ entrant: 0, command: 2, executes: true }, { entrant: 1, command: 1, executes: false }] }), 2);
    expect(faults.before(0, ['SET', 'lock', 'a', 'NX'], false)).toEqual([]);
    expect(faults.before(0, ['GET', 'stock'], true)).toEqual([]);
    // A clock reading is no Redis command, nor one to another server: the disconnect waits for the next to the store.
    expect(faults.before(0, ['NOW'], true)).toEqual([]);
    expect(faults.before(0, ['@2', 'GET', 'lock'], true)).toEqual([]);
    expect(faults.before(0, ['SET', 'stock', 0], true)).toEqual([{ kind: 'disconnect', executes: true }]);
    expect(faults.before(0, ['INCR', 'sold'], true)).toEqual([]);
    expect(faults.before(1, ['GET', 'stock'], true)).toEqual([{ kind: 'disconnect', executes: false }]);
  });

  it('stalls the server before the k-th entrant\'s c-th command there', () => {
    const faults = new FaultInjector(plan({ stalls: [{ entrant: 0, command: 1 }], stallMs: 700 }), 2);
    expect(faults.before(1, ['GET', 'stock'], true)).toEqual([{ kind: 'stall', ms: 700 }]);
    expect(faults.before(1, ['SET', 'stock', 0], true)).toEqual([]);
    expect(faults.before(0, ['GET', 'stock'], true)).toEqual([]);
  });
});

describe('reading a disconnect', () => {
  const view = { name: 'A', status: 'running', inCritical: true, service: false, context: {} } as const;
  const command = (proc: number, cmd: Command, reply: unknown, invokedAt: number, at: number): HistoryEntry => ({ kind: 'command', at, invokedAt, proc, view, command: cmd, reply });
  const disconnect = (cmd: Command, invokedAt: number, at: number): HistoryEntry => ({ kind: 'disconnect', at, invokedAt, proc: 0, view, command: cmd, answered: false, reply: null });
  const crash: HistoryEntry = { kind: 'crash', at: 13, proc: 0, view, channel: null };
  /** The readings' fidelity problems: only the replies the model would answer otherwise. */
  const byReplies = (reading: Reading) => ({ reading, fidelity: placeRedisCommands(RedisServers.on([perfectClock]), redisCommandsOf(reading), 1).filter((p) => !p.agrees) });

  it('reads it as run where it was recorded when nothing says otherwise', () => {
    const entries = [command(1, ['SET', 'k', 'v'], 'OK', 0, 1), disconnect(['INCR', 'n'], 10, 12), crash];
    const { reading, fidelity } = bestReading(entries, 0, byReplies);
    expect(fidelity).toEqual([]);
    expect(reading.entries).toBe(entries);
    expect(reading.unrun.size).toBe(0);
  });

  it('moves it before a command recorded first that saw what it did', () => {
    const incr = disconnect(['INCR', 'n'], 10, 12);
    const entries = [command(1, ['GET', 'n'], '1', 11, 11), incr, crash];
    const { reading, fidelity } = bestReading(entries, 0, byReplies);
    expect(fidelity).toEqual([]);
    expect(reading.entries).toEqual([incr, crash, entries[0]]);
  });

  it('moves it, with its crash, after a command recorded later that ran before it', () => {
    const incr = disconnect(['INCR', 'n'], 10, 12);
    const entries = [incr, crash, command(1, ['INCR', 'n'], 1, 9, 14)];
    const { reading, fidelity } = bestReading(entries, 0, byReplies);
    expect(fidelity).toEqual([]);
    expect(reading.entries).toEqual([entries[2], incr, crash]);
  });

  it('reads it as never run when what came after says so, and never moves it out of its window', () => {
    const set = disconnect(['SET', 'k', 'v'], 10, 12);
    const entries = [command(1, ['GET', 'k'], null, 0, 2), set, crash, command(1, ['GET', 'k'], null, 20, 21)];
    const { reading, fidelity } = bestReading(entries, 0, byReplies);
    expect(fidelity).toEqual([]);
    expect([...reading.unrun]).toEqual([set]);
    expect(redisCommandsOf(reading).map((c) => c.command[0])).toEqual(['GET', 'GET']);
  });
});

describe('windows of writes a stall held', () => {
  const view = { name: 'A', status: 'running', inCritical: true, service: false, context: {} } as const;
  const entries: HistoryEntry[] = [{ kind: 'stall', at: 100, proc: 0, view, ms: 200 }, { kind: 'stall-over', at: 350, proc: 0, view }];
  const recorded = (command: Command, sent: number, answered: number) => ({ command, reply: 'OK', sent, answered });

  it('start at the stall\'s measured end for a write sent while it was on, and nowhere else', () => {
    const commands = [
      recorded(['SET', 'k', 'v'], 110, 352), // held
      recorded(['EVAL', 'fenced-set', 2, 's', 'f', 1, 0], 200, 349), // held; its reply heard just before the end
      recorded(['GET', 'k'], 120, 121), // a read goes through
      recorded(['SET', 'k', 'w'], 90, 95), // before the stall
      recorded(['SET', 'k', 'x'], 360, 361), // after it
    ];
    expect(afterStalls(commands, entries, () => true).map((c) => c.sent)).toEqual([350, 349, 120, 90, 360]);
    expect(afterStalls(commands, entries, () => false)).toEqual(commands);
    expect(afterStalls(commands, [entries[0]], () => true)).toEqual(commands);
  });
});

describe('the faults in a timeline', () => {
  const disconnect = (outcome: 'answered' | 'ran' | 'not-run') => describeEvent({ kind: 'disconnect', t: 5, proc: 0, clock: 5, command: ['INCR', 'sold'], outcome, reply: 1 });

  it('says what the judge reads became of a command whose connection was killed', () => {
    expect(disconnect('answered')).toBe('⚡ the server kills its Redis connection, after the reply to INCR sold');
    expect(disconnect('ran')).toBe('⚡ the server kills its Redis connection: no reply to INCR sold (taken as run: 1)');
    expect(disconnect('not-run')).toBe('⚡ the server kills its Redis connection: no reply to INCR sold (taken as not run)');
  });

  it('draws a stall as a pause of the server\'s lane', () => {
    const stall = describeEvent({ kind: 'stall', t: 5, clock: 5, ms: 1000 });
    const over = describeEvent({ kind: 'stall-over', t: 1100, clock: 1100 });
    expect(readStep({ t: 5, node: 'redis', clock: 5, text: stall })).toEqual({ kind: 'mark', mark: 'pause' });
    expect(readStep({ t: 1100, node: 'redis', clock: 1100, text: over })).toEqual({ kind: 'mark', mark: 'resume' });
  });
});
