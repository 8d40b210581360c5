/**
 * The threads of a search, used synchronously: `check` stays a plain function. The thread that asks answers the
 * first request itself, then blocks (`Atomics.wait`) until each worker thread has answered its own, and reads the
 * answer off the worker's port with `receiveMessageOnPort` rather than through its own event loop. Each worker
 * has a port of its own and bumps a shared counter after each answer, which wakes the asker.
 *
 * The workers are started once per process (each loads the TypeScript sources through tsx: see
 * worker-entry.mjs) and kept, unreferenced, for the next search: their machine caches stay warm, and they do not
 * keep the process alive.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { ModelError } from '../../sim/machine-stepper.ts';
import { UsageError } from '../prepare.ts';
import { participant, type Request, type Response } from './worker.ts';

/** How long the asker waits for an answer before it calls `meanwhile`, ms. */
const WAKE_MS = 100;

/** Bumped by a worker after each answer it posts. */
const answered = new Int32Array(new SharedArrayBuffer(4));
const ports: MessagePort[] = [];
let asked = 0;
/** Why a worker could not start, if one could not: it will never answer, so every later request fails at once. */
let broken: Error | null = null;

/** Starts workers until there are `count`. */
function ensureWorkers(count: number): void {
  while (ports.length < count) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { port: port2, answered: answered.buffer }, transferList: [port2] });
    worker.unref();
    port1.unref();
    ports.push(port1);
  }
}

/**
 * Has `count` threads answer `requestFor(i)`, i from 0 — this thread the first, worker threads the others —
 * and returns the answers in that order; `meanwhile` is called now and then (for progress and time bounds),
 * about every 100 ms while this thread waits. A worker's failure is thrown here: a `UsageError` or `ModelError`
 * as such, anything else as an `Error` with its message.
 * @example const parts = askThreads(2, (i) => ({ kind: 'random-part', … }))
 */
export function askThreads<R extends Request>(count: number, requestFor: (thread: number) => R, meanwhile?: () => void): Response<R>[] {
  if (broken && count > 1) throw broken;
  ensureWorkers(count - 1);
  const id = ++asked;
  for (let i = 1; i < count; i++) ports[i - 1].postMessage({ id, request: requestFor(i) });
  const own = participant.answer(requestFor(0), meanwhile);
  return [own, ...ports.slice(0, count - 1).map((port) => answerOn<R>(port, id, meanwhile))];
}

/** The answer to request `id` on `port`, waiting for it; answers to earlier (abandoned) requests are skipped. */
function answerOn<R extends Request>(port: MessagePort, id: number, meanwhile?: () => void): Response<R> {
  for (;;) {
    const seen = Atomics.load(answered, 0);
    const received = receiveMessageOnPort(port)?.message as { id: number; ok?: Response<R>; error?: { name: string; message: string } } | undefined;
    if (received?.error && received.id < 0) throw (broken = rebuiltError(received.error));
    if (received?.error && received.id === id) throw rebuiltError(received.error);
    if (received?.id === id) return received.ok!;
    if (received === undefined && Atomics.wait(answered, 0, seen, WAKE_MS) === 'timed-out') meanwhile?.();
  }
}

/** An error thrown in a worker, as the asker throws it. */
function rebuiltError({ name, message }: { name: string; message: string }): Error {
  if (name === 'UsageError') return new UsageError(message);
  if (name === 'ModelError') return new ModelError(message);
  return new Error(`in a worker thread: ${message}`);
}
