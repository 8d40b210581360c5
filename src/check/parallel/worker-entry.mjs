// The entry of a search's worker thread. A worker does not inherit the loader hooks of the thread that started
// it, so it registers tsx itself (as bin/interleave.js does) before loading the TypeScript sources; then it
// serves its pool's requests (worker.ts). A failure to start is answered as an error, so the asker never waits
// for nothing.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

const { port, answered } = workerData;
try {
  register();
  const { serve } = await import('./worker.ts');
  serve(port, new Int32Array(answered));
} catch (error) {
  port.postMessage({ id: -1, error: { name: 'Error', message: `worker failed to start: ${error?.message ?? error}` } });
  const counter = new Int32Array(answered);
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}
