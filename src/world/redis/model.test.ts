import { describe, expect, it } from 'vitest';
import { RedisModel } from './model.ts';
import type { RedisScript } from './scripts/index.ts';
import type { RedisCommand } from './types.ts';

/** A model after running `setup` at instant 0. */
function modelWith(...setup: RedisCommand[]): RedisModel {
  const redis = new RedisModel();
  for (const cmd of setup) redis.exec(cmd, 0);
  return redis;
}

const reply = (redis: RedisModel, cmd: RedisCommand, now = 0) => redis.exec(cmd, now).reply;

describe('GETSET', () => {
  it('answers the old value (nil for an absent or expired key), writes the new one and drops the TTL', () => {
    const redis = modelWith(['SET', 'lock', 'a', 'PX', 100]);
    expect(redis.exec(['GETSET', 'lock', 'b'], 50)).toEqual({ reply: 'a', changes: [{ key: 'lock', from: 'a', to: 'b' }] });
    expect(reply(redis, ['PTTL', 'lock'], 50)).toBe(-1);
    expect(reply(redis, ['GETSET', 'other', 'c'], 50)).toBeNull();
    expect(reply(redis, ['GETSET', 'lock'])).toEqual({ error: "ERR wrong number of arguments for 'getset' command" });
  });
});

describe('SET', () => {
  it('NX writes only an absent key, XX only a present one', () => {
    const redis = new RedisModel();
    expect(reply(redis, ['SET', 'k', 'a', 'XX'])).toBeNull();
    expect(reply(redis, ['SET', 'k', 'a', 'NX'])).toBe('OK');
    expect(reply(redis, ['SET', 'k', 'b', 'NX'])).toBeNull();
    expect(reply(redis, ['SET', 'k', 'c', 'XX'])).toBe('OK');
    expect(redis.get('k', 0)).toBe('c');
  });

  it('treats an expired key as absent for NX and XX', () => {
    const redis = modelWith(['SET', 'lock', 'a', 'PX', 100]);
    expect(reply(redis, ['SET', 'lock', 'b', 'XX'], 101)).toBeNull();
    expect(redis.exec(['SET', 'lock', 'b', 'NX'], 101)).toEqual({ reply: 'OK', changes: [{ key: 'lock', from: null, to: 'b' }] });
  });

  it('reads options in any order and case, and numbers as text', () => {
    const redis = new RedisModel();
    expect(reply(redis, ['set', 'k', 7, 'px', 50, 'nx'])).toBe('OK');
    expect(redis.get('k', 0)).toBe('7');
    expect(redis.expireAt('k')).toBe(50);
    expect(reply(redis, ['SET', 'j', 'v', 'PX', 10, 'PX', 20])).toBe('OK'); // the last of one unit wins
    expect(redis.expireAt('j')).toBe(20);
  });

  it('rejects conflicting or unknown options with a syntax error', () => {
    const redis = new RedisModel();
    for (const cmd of [
      ['SET', 'k', 'v', 'NX', 'XX'],
      ['SET', 'k', 'v', 'EX', 1, 'PX', 1000],
      ['SET', 'k', 'v', 'PX'],
      ['SET', 'k', 'v', 'KEEPTTL'],
    ]) {
      expect(redis.exec(cmd, 0)).toEqual({ reply: { error: 'ERR syntax error' }, changes: [] });
    }
    expect(redis.keys(0)).toEqual([]);
  });

  it('rejects a non-positive or non-integer TTL before looking at the key', () => {
    const redis = modelWith(['SET', 'k', 'v']);
    const invalid = { error: "ERR invalid expire time in 'set' command" };
    expect(reply(redis, ['SET', 'k', 'w', 'NX', 'PX', 0])).toEqual(invalid);
    expect(reply(redis, ['SET', 'k', 'w', 'EX', -1])).toEqual(invalid);
    expect(reply(redis, ['SET', 'k', 'w', 'PX', '1.5'])).toEqual({ error: 'ERR value is not an integer or out of range' });
    expect(redis.get('k', 0)).toBe('v');
  });

  it('expires on the server clock: live at its expiry instant, gone one millisecond later', () => {
    const redis = new RedisModel();
    redis.exec(['SET', 'lock', 'a', 'PX', 100], 1000);
    redis.exec(['SET', 'sec', 'b', 'EX', 2], 1000);
    expect(redis.expireAt('lock')).toBe(1100);
    expect(redis.expireAt('sec')).toBe(3000);
    expect(reply(redis, ['GET', 'lock'], 1100)).toBe('a');
    expect(reply(redis, ['PTTL', 'lock'], 1100)).toBe(0);
    expect(reply(redis, ['GET', 'lock'], 1101)).toBeNull();
    expect(reply(redis, ['PTTL', 'lock'], 1101)).toBe(-2);
  });

  it('clears the TTL and reports only value changes', () => {
    const redis = modelWith(['SET', 'lock', 'a', 'PX', 100]);
    expect(redis.exec(['SET', 'lock', 'a'], 10)).toEqual({ reply: 'OK', changes: [] });
    expect(reply(redis, ['PTTL', 'lock'], 10)).toBe(-1);
    expect(redis.get('lock', 500)).toBe('a');
  });
});

describe('GET, DEL, EXISTS', () => {
  it('DEL counts live keys once each and lists their deletions', () => {
    const redis = modelWith(['SET', 'a', '1'], ['SET', 'b', '2'], ['SET', 'gone', '3', 'PX', 5]);
    expect(redis.exec(['DEL', 'a', 'a', 'gone', 'missing', 'b'], 10)).toEqual({
      reply: 2,
      changes: [{ key: 'a', from: '1', to: null }, { key: 'b', from: '2', to: null }],
    });
    expect(redis.keys(10)).toEqual([]);
  });

  it('EXISTS counts each mention of a live key', () => {
    const redis = modelWith(['SET', 'a', '1'], ['SET', 'gone', '3', 'PX', 5]);
    expect(reply(redis, ['EXISTS', 'a', 'a', 'gone', 'missing'], 10)).toBe(2);
  });

  it('names unknown commands and wrong arity as Redis does', () => {
    const redis = new RedisModel();
    expect(reply(redis, ['FLUSHALL'])).toEqual({ error: "ERR unknown command 'FLUSHALL'" });
    expect(reply(redis, ['GET'])).toEqual({ error: "ERR wrong number of arguments for 'get' command" });
    expect(reply(redis, ['get', 'a', 'b'])).toEqual({ error: "ERR wrong number of arguments for 'get' command" });
    expect(reply(redis, ['DEL'])).toEqual({ error: "ERR wrong number of arguments for 'del' command" });
    expect(reply(redis, ['SET', 'k'])).toEqual({ error: "ERR wrong number of arguments for 'set' command" });
    expect(reply(redis, ['PEXPIRE', 'k', 1, 'NX'])).toEqual({ error: "ERR wrong number of arguments for 'pexpire' command" });
    expect(reply(redis, ['EVAL', 'compare-and-delete'])).toEqual({ error: "ERR wrong number of arguments for 'eval' command" });
  });
});

describe('INCR and DECR', () => {
  it('count from 0 and keep the TTL', () => {
    const redis = modelWith(['SET', 'n', '5', 'PX', 100]);
    expect(redis.exec(['INCR', 'n'], 10)).toEqual({ reply: 6, changes: [{ key: 'n', from: '5', to: '6' }] });
    expect(redis.expireAt('n')).toBe(100);
    expect(reply(redis, ['DECR', 'fresh'])).toBe(-1);
    expect(reply(redis, ['PTTL', 'fresh'])).toBe(-1);
    expect(reply(redis, ['INCR', 'n'], 101)).toBe(1); // expired: counts from 0 again
  });

  it('reject values that are not strict 64-bit integers, and overflow', () => {
    for (const value of ['abc', '1.5', '01', ' 1', '+1', '-0', '9223372036854775808']) {
      const redis = modelWith(['SET', 'n', value]);
      expect(redis.exec(['INCR', 'n'], 0)).toEqual({ reply: { error: 'ERR value is not an integer or out of range' }, changes: [] });
    }
    const redis = modelWith(['SET', 'max', '9223372036854775807'], ['SET', 'min', '-9223372036854775808']);
    expect(reply(redis, ['INCR', 'max'])).toEqual({ error: 'ERR increment or decrement would overflow' });
    expect(reply(redis, ['DECR', 'min'])).toEqual({ error: 'ERR increment or decrement would overflow' });
  });
});

describe('PTTL and PEXPIRE', () => {
  it('PTTL answers -2 missing, -1 without TTL, else ms left', () => {
    const redis = modelWith(['SET', 'plain', 'v'], ['SET', 'ttl', 'v', 'PX', 300]);
    expect([reply(redis, ['PTTL', 'missing'], 100), reply(redis, ['PTTL', 'plain'], 100), reply(redis, ['PTTL', 'ttl'], 100)]).toEqual([-2, -1, 200]);
  });

  it('PEXPIRE sets a TTL on an existing key only, as a TTL-only change', () => {
    const redis = modelWith(['SET', 'k', 'v']);
    expect(redis.exec(['PEXPIRE', 'missing', 100], 0)).toEqual({ reply: 0, changes: [] });
    expect(redis.exec(['PEXPIRE', 'k', 100], 50)).toEqual({ reply: 1, changes: [] });
    expect(redis.expireAt('k')).toBe(150);
    expect(reply(redis, ['PEXPIRE', 'k', 'soon'])).toEqual({ error: 'ERR value is not an integer or out of range' });
  });

  it('PEXPIRE with ms <= 0 deletes the key at once', () => {
    for (const ms of [0, -5]) {
      const redis = modelWith(['SET', 'k', 'v', 'PX', 1000]);
      expect(redis.exec(['PEXPIRE', 'k', ms], 10)).toEqual({ reply: 1, changes: [{ key: 'k', from: 'v', to: null }] });
      expect(redis.keys(10)).toEqual([]);
      expect(reply(redis, ['PEXPIRE', 'k', ms], 10)).toBe(0);
    }
  });
});

describe('scripts', () => {
  it('compare-and-delete deletes only the caller’s own lock', () => {
    const redis = modelWith(['SET', 'lock', 'b', 'PX', 100]);
    expect(redis.exec(['EVAL', 'compare-and-delete', 1, 'lock', 'a'], 0)).toEqual({ reply: 0, changes: [] });
    expect(redis.exec(['EVAL', 'compare-and-delete', 1, 'lock', 'b'], 0)).toEqual({ reply: 1, changes: [{ key: 'lock', from: 'b', to: null }] });
    expect(reply(redis, ['EVAL', 'compare-and-delete', 1, 'lock', 'b'])).toBe(0);
  });

  it('compare-and-extend renews only the caller’s own live lock', () => {
    const redis = modelWith(['SET', 'lock', 'a', 'PX', 100]);
    expect(reply(redis, ['EVAL', 'compare-and-extend', 1, 'lock', 'b', 500], 50)).toBe(0);
    expect(redis.exec(['EVAL', 'compare-and-extend', 1, 'lock', 'a', 500], 50)).toEqual({ reply: 1, changes: [] });
    expect(redis.expireAt('lock')).toBe(550);
    expect(reply(redis, ['EVAL', 'compare-and-extend', 1, 'lock', 'a', 500], 551)).toBe(0);
  });

  it('decr-if-positive takes one unit while the stock is a positive integer, keeping its TTL', () => {
    const redis = modelWith(['SET', 'stock', '2', 'PX', 100]);
    const take = () => redis.exec(['EVAL', 'decr-if-positive', 1, 'stock'], 0);
    expect(take()).toEqual({ reply: 1, changes: [{ key: 'stock', from: '2', to: '1' }] });
    expect(take().reply).toBe(0);
    expect(take()).toEqual({ reply: -1, changes: [] });
    expect(redis.expireAt('stock')).toBe(100);
    for (const value of ['-1', 'abc', '01']) expect(reply(modelWith(['SET', 'stock', value]), ['EVAL', 'decr-if-positive', 1, 'stock'])).toBe(-1);
    expect(reply(new RedisModel(), ['EVAL', 'decr-if-positive', 1, 'stock'])).toBe(-1);
  });

  it('fenced-get records the token and rejects a lower one', () => {
    const redis = modelWith(['SET', 'stock', '3']);
    expect(redis.exec(['EVAL', 'fenced-get', 2, 'stock', 'fence', 5], 0)).toEqual({ reply: '3', changes: [{ key: 'fence', from: null, to: '5' }] });
    expect(redis.exec(['EVAL', 'fenced-get', 2, 'stock', 'fence', 4], 0)).toEqual({ reply: 'STALE', changes: [] });
    expect(redis.exec(['EVAL', 'fenced-get', 2, 'stock', 'fence', 5], 0)).toEqual({ reply: '3', changes: [] });
    expect(reply(redis, ['EVAL', 'fenced-get', 2, 'nothing', 'fence', 10])).toBeNull();
  });

  it('fenced-set writes with a current token, clearing the TTL, and rejects a stale one', () => {
    const redis = modelWith(['SET', 'stock', '3', 'PX', 100], ['SET', 'fence', '7']);
    expect(redis.exec(['EVAL', 'fenced-set', 2, 'stock', 'fence', 6, 2], 0)).toEqual({ reply: 'STALE', changes: [] });
    expect(redis.exec(['EVAL', 'fenced-set', 2, 'stock', 'fence', 8, 2], 0)).toEqual({
      reply: 'OK',
      changes: [{ key: 'fence', from: '7', to: '8' }, { key: 'stock', from: '3', to: '2' }],
    });
    expect(reply(redis, ['PTTL', 'stock'])).toBe(-1);
  });

  it('fenced scripts reject tokens and fences that are not integers', () => {
    expect(reply(new RedisModel(), ['EVAL', 'fenced-get', 2, 'stock', 'fence', 'x'])).toEqual({ error: 'ERR fencing token is not an integer' });
    expect(reply(modelWith(['SET', 'fence', 'x']), ['EVAL', 'fenced-set', 2, 'stock', 'fence', 1, 1])).toEqual({ error: 'ERR fence is not an integer' });
  });

  it('checks EVAL arguments like Redis, then against the named script', () => {
    const redis = new RedisModel();
    expect(reply(redis, ['EVAL', 'compare-and-delete', 'one', 'lock', 'a'])).toEqual({ error: 'ERR value is not an integer or out of range' });
    expect(reply(redis, ['EVAL', 'compare-and-delete', 3, 'lock', 'a'])).toEqual({ error: "ERR Number of keys can't be greater than number of args" });
    expect(reply(redis, ['EVAL', 'compare-and-delete', -1, 'lock', 'a'])).toEqual({ error: "ERR Number of keys can't be negative" });
    expect(reply(redis, ['EVAL', 'no-such-script', 0])).toEqual({ error: "ERR unknown script 'no-such-script'" });
    expect(reply(redis, ['EVAL', 'compare-and-delete', 2, 'lock', 'a'])).toEqual({ error: "ERR script 'compare-and-delete' takes 1 keys and 1 arguments" });
  });

  it('keeps the writes a script made before a failing call, as Redis does', () => {
    const broken: RedisScript = {
      name: 'set-then-incr',
      lua: "redis.call('SET', KEYS[1], 'x')\nreturn redis.call('INCR', KEYS[1])",
      numKeys: 1,
      numArgs: 0,
      body: (redis, [key]) => (redis.call('SET', key, 'x'), redis.call('INCR', key)),
    };
    const redis = new RedisModel(new Map([[broken.name, broken]]));
    expect(redis.exec(['EVAL', 'set-then-incr', 1, 'k'], 0)).toEqual({
      reply: { error: 'ERR value is not an integer or out of range' },
      changes: [{ key: 'k', from: null, to: 'x' }],
    });
  });
});

describe('views', () => {
  it('expiriesBetween lists keys live at `from` and gone at `to`, by instant then key', () => {
    const redis = new RedisModel();
    redis.exec(['SET', 'b', '2', 'PX', 5000], 0);
    redis.exec(['SET', 'a', '1', 'PX', 5000], 0);
    redis.exec(['SET', 'c', '3', 'PX', 3000], 0);
    redis.exec(['SET', 'plain', '4'], 0);
    expect(redis.expiriesBetween(0, 6000)).toEqual([
      { key: 'c', value: '3', at: 3000 },
      { key: 'a', value: '1', at: 5000 },
      { key: 'b', value: '2', at: 5000 },
    ]);
    expect(redis.expiriesBetween(4000, 5000)).toEqual([]); // still live at 5000
    expect(redis.expiriesBetween(5000, 5001).map((e) => e.key)).toEqual(['a', 'b']);
    expect(redis.expiriesBetween(5001, 9000)).toEqual([]);
  });

  it('keys, get and fingerprint see live keys only; fingerprints use remaining TTL', () => {
    const early = modelWith(['SET', 'lock', 'a', 'PX', 100], ['SET', 'stock', '1']);
    expect(early.keys(100)).toEqual(['lock', 'stock']);
    expect(early.keys(101)).toEqual(['stock']);
    expect(early.get('lock', 101)).toBeNull();
    expect(early.fingerprint(40)).toBe('[["lock","a",60],["stock","1",-1]]');
    expect(early.fingerprint(101)).toBe('[["stock","1",-1]]');

    const late = new RedisModel();
    late.exec(['SET', 'stock', '1'], 1000);
    late.exec(['SET', 'lock', 'a', 'PX', 100], 1000);
    expect(late.fingerprint(1040)).toBe(early.fingerprint(40));
  });

  it('clone is independent', () => {
    const redis = modelWith(['SET', 'stock', '1']);
    const copy = redis.clone();
    copy.exec(['DECR', 'stock'], 0);
    expect(redis.get('stock', 0)).toBe('1');
    expect(copy.get('stock', 0)).toBe('0');
  });
});
