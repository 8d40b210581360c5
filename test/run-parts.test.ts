// The real runner's pure parts: namespacing, time scaling, fault landing, re-executing a command at the instant
// its window allows, and merging the histories of child processes in the servers' order. No servers.
import { describe, expect, it } from 'vitest';
import { Namespace, RUN_PREFIX } from '../src/run/namespace.ts';
import { TimeScale } from '../src/run/time-scale.ts';
import { FaultInjector } from '../src/run/fault-injector.ts';
import { planFaults } from '../src/run/fault-plan.ts';
import { placeRedisCommands } from '../src/run/redis-replay.ts';
import { RedisServers } from '../src/sim/redis-servers.ts';
import { perfectClock } from '../src/sim/clock.ts';
import { createPrng } from '../src/sim/prng.ts';
import { UsageError } from '../src/check/prepare.ts';
import { History } from '../src/run/history.ts';
import { HistoryOrder } from '../src/run/child/history-order.ts';
import type { Command } from '../models/protocol.ts';

describe('Namespace', () => {
  const ns = new Namespace('interleave-run:1-ab:');

  it('prefixes exactly the key arguments', () => {
    expect(ns.redisCommand(['SET', 'lock', 'a', 'NX', 'PX', 100])).toEqual(['SET', 'interleave-run:1-ab:lock', 'a', 'NX', 'PX', 100]);
    expect(ns.redisCommand(['DEL', 'a', 'b'])).toEqual(['DEL', 'interleave-run:1-ab:a', 'interleave-run:1-ab:b']);
    expect(ns.redisCommand(['EVAL', 'fenced-set', 2, 'stock', 'stock:fence', 3, 0]))
      .toEqual(['EVAL', 'fenced-set', 2, 'interleave-run:1-ab:stock', 'interleave-run:1-ab:stock:fence', 3, 0]);
    expect(ns.redisCommand(['@2', 'GET', 'lock'])).toEqual(['GET', 'interleave-run:1-ab:@2:lock']);
  });

  it('refuses commands whose keys it does not know', () => {
    expect(() => ns.redisCommand(['MGET', 'a'])).toThrow(UsageError);
    expect(() => ns.redisCommand(['EVAL', 'x', 3, 'a'])).toThrow(/key count/);
  });

  it('makes a fresh prefix per run', () => {
    const [a, b] = [new Namespace(), new Namespace()];
    expect(a.prefix.startsWith(`${RUN_PREFIX}${process.pid}-`)).toBe(true);
    expect(a.prefix).not.toBe(b.prefix);
    expect(a.queue('payments')).toBe(`${a.prefix}payments`);
  });
});

describe('TimeScale', () => {
  const scale = new TimeScale(20);

  it('divides every duration on the wire and multiplies PTTL back', () => {
    expect(scale.redisCommand(['SET', 'lock', 'a', 'NX', 'EX', 1])).toEqual(['SET', 'lock', 'a', 'NX', 'PX', 50]);
    expect(scale.redisCommand(['SET', 'lock', 'a', 'px', 1000, 'NX'])).toEqual(['SET', 'lock', 'a', 'PX', 50, 'NX']);
    expect(scale.redisCommand(['PEXPIRE', 'lock', 10])).toEqual(['PEXPIRE', 'lock', 1]);
    expect(scale.redisCommand(['EVAL', 'compare-and-extend', 1, 'lock', 'tok', 1000])).toEqual(['EVAL', 'compare-and-extend', 1, 'lock', 'tok', 50]);
    expect(scale.redisCommand(['EVAL', 'fenced-set', 2, 's', 'f', 1000, 7])).toEqual(['EVAL', 'fenced-set', 2, 's', 'f', 1000, 7]);
    expect(scale.redisReply(['PTTL', 'lock'], 30)).toBe(600);
    expect(scale.redisReply(['PTTL', 'lock'], -2)).toBe(-2);
    expect(scale.realMs(2000)).toBe(100);
  });

  it('leaves commands alone at scale 1 and refuses nonsense', () => {
    const cmd = ['SET', 'lock', 'a', 'EX', 1] as const;
    expect(new TimeScale(1).redisCommand(cmd)).toBe(cmd);
    expect(() => new TimeScale(0)).toThrow(UsageError);
  });
});

describe('FaultInjector', () => {
  it('pauses the k-th process to enter its critical section before its c-th command there', () => {
    const faults = new FaultInjector({ arrivals: [0, 0], pauses: [{ entrant: 0, command: 2 }, { entrant: 1, command: 1 }], pauseMs: 300, afterDelivery: [], publishKills: 0 }, 2);
    expect(faults.before(1, ['SET', 'lock', 'b', 'NX'], false)).toEqual([]);
    expect(faults.before(1, ['GET', 'stock'], true)).toEqual([]); // B enters first: entrant 0, command 1
    expect(faults.before(0, ['GET', 'stock'], true)).toEqual([{ kind: 'pause', ms: 300 }]); // A: entrant 1, command 1
    expect(faults.before(1, ['SET', 'stock', 0], true)).toEqual([{ kind: 'pause', ms: 300 }]); // B's 2nd
    expect(faults.before(1, ['INCR', 'sold'], true)).toEqual([]);
  });

  it('kills the taker of the next delivery before its j-th command after it, and a publisher before it publishes', () => {
    const faults = new FaultInjector({ arrivals: [0, 0], pauses: [], pauseMs: 0, afterDelivery: [{ kind: 'kill', command: 2 }], publishKills: 1 }, 2);
    faults.delivered(1);
    faults.delivered(0); // already armed for W2: ignored
    expect(faults.before(1, ['PAY.CHARGE', 'order-1'], false)).toEqual([]);
    expect(faults.before(0, ['AMQP.ACK', 1], false)).toEqual([]);
    expect(faults.before(1, ['AMQP.ACK', 1], false)).toEqual([{ kind: 'kill' }]);
    expect(faults.before(0, ['AMQP.PUBLISH', 'q', 'x', 'm'], false)).toEqual([{ kind: 'kill' }]);
    expect(faults.before(0, ['AMQP.PUBLISH', 'q', 'x', 'm'], false)).toEqual([]);
  });

  it('plans the same faults from the same seed', () => {
    const options = { pauses: 2, deliveryPauses: 0, pauseMs: 2000, kills: 1, closes: 1, publishKills: 0, arrivalsMs: 2000, disconnects: 0, stalls: 0, stallMs: 0 };
    expect(planFaults(options, 3, createPrng(9))).toEqual(planFaults(options, 3, createPrng(9)));
    expect(planFaults(options, 3, createPrng(9)).afterDelivery.map((f) => f.kind).sort()).toEqual(['close', 'kill']);
  });
});

describe('placeRedisCommands', () => {
  const lockedUntil100 = () => {
    const s = RedisServers.on([perfectClock]);
    s.exec(['SET', 'lock', 'a', 'PX', 100], 0);
    return s;
  };
  const setB = (reply: unknown, sent: number, answered: number) => ({ command: ['SET', 'lock', 'b', 'NX', 'PX', 100], reply, sent, answered });
  /** Real histories (inventory, fenced, a disconnect, time scale 20, on a loaded machine), as the judge places them. */
  const lock = (token: string): Command => ['SET', 'lock:stock', token, 'NX', 'PX', 1000];
  const placeReal = (rows: readonly [Command, unknown, number, number][]) => {
    const servers = RedisServers.on([perfectClock]);
    servers.exec(['SET', 'stock', 1], 0);
    return placeRedisCommands(servers, rows.map(([command, reply, sent, answered]) => ({ command, reply, sent, answered })), 20);
  };

  it('places a command at its sending when that gives the server\'s reply, else later in its window', () => {
    expect(placeRedisCommands(lockedUntil100(), [setB(null, 90, 120)], 1)).toEqual([{ at: 90, agrees: true }]);
    expect(placeRedisCommands(lockedUntil100(), [setB('OK', 90, 120)], 1)).toEqual([{ at: 120, agrees: true }]);
  });

  it('moves an earlier command within its window when a later reply shows it ran later', () => {
    // A's SET was sent at 0 and answered at 20; B's SET NX at 110 failed: A's lock still lived, so it was set after 10.
    const commands = [{ command: ['SET', 'lock', 'a', 'NX', 'PX', 100], reply: 'OK', sent: 0, answered: 20 }, setB(null, 110, 111)];
    expect(placeRedisCommands(RedisServers.on([perfectClock]), commands, 1)).toEqual([{ at: 20, agrees: true }, { at: 110, agrees: true }]);
  });

  it('reaches back past many commands that changed nothing to move the SET a later reply places', () => {
    // A's SET was sent at 941 and answered at 1263; its compare-and-delete at 2050 found the lock still there,
    // so the SET ran after 1050. Ten commands lie between, with four instants or so each: tried in every
    // combination, or only eight commands back, the search gave up before reaching A's SET.
    const placed = placeReal([
      [lock('A'), 'OK', 941, 1263], [lock('C'), null, 965, 1263], [lock('B'), null, 989, 1264],
      [['INCR', 'lock:stock:fence'], 1, 1272, 1278],
      [['EVAL', 'fenced-get', 2, 'stock', 'stock:fence', 1], '1', 1286, 1295],
      [['EVAL', 'fenced-set', 2, 'stock', 'stock:fence', 1, 0], 'OK', 1299, 1304],
      [lock('C'), null, 1550, 1666], [lock('B'), null, 1655, 1694], [lock('C'), null, 2003, 2014], [lock('B'), null, 2006, 2014],
      [['INCR', 'sold'], 1, 1306, 2049],
      [['EVAL', 'compare-and-delete', 1, 'lock:stock', 'A'], 1, 2050, 2055],
    ]);
    expect(placed.filter((p) => !p.agrees)).toEqual([]);
    expect(placed[0].at).toBeGreaterThan(1050);
  });

  it('tries the instants at which a SET\'s key would expire at the edge of a later command\'s window', () => {
    // B's SET took 640 ms to answer. C's SET NX at 3489-3496 failed and A's at 3508-3512 succeeded: B's lock
    // expired between, so its SET ran between 2389 and 2612, away from its window's edges and its middle.
    const placed = placeReal([[lock('B'), 'OK', 2023, 2663], [lock('C'), null, 3234, 3237], [lock('C'), null, 3489, 3496], [lock('A'), 'OK', 3508, 3512]]);
    expect(placed.filter((p) => !p.agrees)).toEqual([]);
    expect(placed[0].at).toBeGreaterThan(2388);
    expect(placed[0].at).toBeLessThanOrEqual(2612);
  });

  it('reports what no placement explains, placing it at its reply', () => {
    const commands = [{ command: ['SET', 'lock', 'a', 'NX', 'PX', 100], reply: 'OK', sent: 0, answered: 20 }, setB(null, 300, 301)];
    expect(placeRedisCommands(RedisServers.on([perfectClock]), commands, 1)).toEqual([{ at: 0, agrees: true }, { at: 301, agrees: false }]);
  });
});

describe('HistoryOrder', () => {
  const view = { name: 'A', status: 'running', inCritical: false, service: false, context: {} } as const;
  const command = (proc: number, at: number, cmd: Command) => ({ kind: 'command', at, invokedAt: at - 5, proc, view, command: cmd, reply: 'OK' } as const);

  it('puts each server\'s commands in its serial order, keeps each process\'s own order, and orders the rest by time', () => {
    // B's SET was answered first but reached the parent last; the server ran A's first (serials 1, 2).
    const aSet = command(0, 12, ['SET', 'lock', 'a', 'NX']);
    const bSet = command(1, 11, ['SET', 'lock', 'b', 'NX']);
    const aArrive = { kind: 'arrive', at: 1, proc: 0, view } as const;
    const bArrive = { kind: 'arrive', at: 2, proc: 1, view } as const;
    const aPause = { kind: 'pause', at: 13, proc: 0, view, ms: 100 } as const;
    const history = new History();
    for (const entry of [bArrive, aArrive, aSet, aPause, bSet]) history.record(entry);
    const order = new HistoryOrder();
    order.note(aSet, { stream: 'redis', n: 1 });
    order.note(bSet, { stream: 'redis', n: 2 });
    order.apply(history);
    expect(history.entries).toEqual([aArrive, bArrive, aSet, bSet, aPause]);
  });

  it('numbers effects as they execute', () => {
    const order = new HistoryOrder();
    expect([order.effectExecuted(), order.effectExecuted()]).toEqual([1, 2]);
  });
});
