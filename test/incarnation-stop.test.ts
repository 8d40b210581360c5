// What ends a real process's waits: a kill or the iteration's end, through its lazily made signal and its
// inbox wait (park/unpark). No servers.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Aborted } from '../src/run/aborted.ts';
import { IncarnationStop } from '../src/run/incarnation-stop.ts';

describe('IncarnationStop', () => {
  it('is stopped by a kill or by the end of the iteration', () => {
    const ended = new AbortController();
    const killed = new IncarnationStop(ended.signal);
    const ending = new IncarnationStop(ended.signal);
    killed.kill();
    expect([killed.stopped, ending.stopped]).toEqual([true, false]);
    ended.abort();
    expect(ending.stopped).toBe(true);
  });

  it('aborts its signal on either, and a signal asked for afterwards is aborted already', () => {
    const ended = new AbortController();
    const stop = new IncarnationStop(ended.signal);
    const signal = stop.signal;
    expect(signal.aborted).toBe(false);
    ended.abort();
    expect(signal.aborted).toBe(true);
    const late = new IncarnationStop(ended.signal);
    expect(late.signal.aborted).toBe(true);
    const killed = new IncarnationStop(new AbortController().signal);
    killed.kill();
    expect(killed.signal.aborted).toBe(true);
  });

  it('ends a park with unpark, and rejects it with Aborted when the iteration ends or the process is killed', async () => {
    const ended = new AbortController();
    const stop = new IncarnationStop(ended.signal);
    const woken = stop.park();
    stop.unpark();
    await expect(woken).resolves.toBeUndefined();
    const waiting = stop.park();
    ended.abort();
    await expect(waiting).rejects.toBeInstanceOf(Aborted);
    await expect(stop.park()).rejects.toBeInstanceOf(Aborted);
    const killed = new IncarnationStop(new AbortController().signal);
    const parked = killed.park();
    killed.kill();
    await expect(parked).rejects.toBeInstanceOf(Aborted);
  });

  it('listens for the end only once something waits, and stops listening when the incarnation is over', async () => {
    const ended = new AbortController();
    const idle = new IncarnationStop(ended.signal);
    expect(idle.stopped).toBe(false);
    expect(getEventListeners(ended.signal, 'abort')).toHaveLength(0);
    const waiting = new IncarnationStop(ended.signal);
    const parked = waiting.park();
    void waiting.signal;
    expect(getEventListeners(ended.signal, 'abort')).toHaveLength(1);
    waiting.unpark();
    await parked;
    waiting.over();
    expect(getEventListeners(ended.signal, 'abort')).toHaveLength(0);
  });
});
