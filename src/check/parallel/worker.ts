/**
 * What a thread of a search does: it answers requests — a part of a random search, the levels of a breadth-first
 * search, or a part of a depth-first one (`Participant`). The thread that asks answers the first request itself; a worker thread serves
 * the others (`serve`), one at a time, on its own port, and bumps the shared `answered` counter after each answer
 * so that the asker wakes (pool.ts).
 */
import type { MessagePort } from 'node:worker_threads';
import type { ExploreOptions } from '../random.ts';
import type { Property } from '../../../properties/property.ts';
import type { Prepared } from '../prepare.ts';
import { rebuild, setupFrom, type SearchJob, type SetupData } from './job.ts';
import { walkPart, type DepthFirstPart, type DepthFirstRequest } from './depth-first-threads.ts';
import { LevelExpander, type LevelPlan, type LevelReport } from './level-expander.ts';
import { exploreRandomPart, sharedControl, type Part, type RandomPart } from './random-part.ts';

/** A request to a worker. */
export type Request =
  | { readonly kind: 'random-part'; readonly job: SearchJob; readonly options: Omit<ExploreOptions, 'onProgress'>; readonly part: Part; readonly control: SharedArrayBuffer }
  | { readonly kind: 'levels-start'; readonly job: SearchJob; readonly setup: SetupData; readonly symmetric: boolean; readonly holdsRoot: boolean; readonly graph: boolean }
  | { readonly kind: 'level'; readonly plan: LevelPlan | null; readonly stop: SharedArrayBuffer }
  | { readonly kind: 'levels-end' }
  | DepthFirstRequest;

/** The answer to a request of kind `R`. */
export type Response<R extends Request> = R extends { kind: 'random-part' } ? RandomPart : R extends { kind: 'level' } ? LevelReport : R extends { kind: 'depth-first' } ? DepthFirstPart : null;

/** One thread's part in searches: it answers requests, and keeps its share of an exhaustive search between them. */
export class Participant {
  /** The exhaustive search it takes part in, between `levels-start` and `levels-end`. */
  #expander: LevelExpander | null = null;

  /** `rebuildJob` finds a job's variant and properties again (by default, among the built-in scenarios). */
  constructor(private readonly rebuildJob: (job: SearchJob) => { prepared: Prepared; properties: readonly Property[] } = rebuild) {}

  /**
   * Answers `request`; `meanwhile` is called now and then while it works (the asking thread polls progress and
   * its time bound with it).
   * @example new Participant().answer({ kind: 'levels-end' }) // null
   */
  answer<R extends Request>(request: R, meanwhile?: () => void): Response<R>;
  answer(request: Request, meanwhile?: () => void): RandomPart | LevelReport | DepthFirstPart | null {
    switch (request.kind) {
      case 'random-part': {
        const { prepared, properties } = this.rebuildJob(request.job);
        const target = { ...prepared, instance: { ...prepared.instance, properties } };
        const control = sharedControl(new Int32Array(request.control), request.options.exhaustRuns ?? false, meanwhile);
        return exploreRandomPart(target, request.options, request.part, control);
      }
      case 'levels-start': {
        const { prepared, properties } = this.rebuildJob(request.job);
        this.#expander = new LevelExpander(setupFrom(prepared, request.setup), properties, request.symmetric, request.holdsRoot, request.graph);
        return null;
      }
      case 'level':
        if (request.plan) this.#expander!.keep(request.plan);
        return this.#expander!.expandLevel(new Int32Array(request.stop), meanwhile);
      case 'levels-end':
        this.#expander = null;
        return null;
      case 'depth-first': {
        const { prepared, properties } = this.rebuildJob(request.job);
        return walkPart(setupFrom(prepared, request.setup), properties, request, meanwhile);
      }
    }
  }
}

/** This thread's participant: the asking thread's in pool.ts, or a worker's in `serve`. */
export const participant = new Participant();

/** Serves requests arriving on `port`, bumping `answered[0]` after each answer. */
export function serve(port: MessagePort, answered: Int32Array): void {
  port.on('message', ({ id, request }: { id: number; request: Request }) => {
    try {
      const ok: RandomPart | LevelReport | DepthFirstPart | null = participant.answer(request);
      // The typed arrays of an answer (and of its graph part) move to the asker rather than being copied.
      const views = ok === null ? [] : [...Object.values(ok), ...Object.values((ok as { graph?: object | null }).graph ?? {})];
      const buffers = views.filter(ArrayBuffer.isView).map((view) => view.buffer as ArrayBuffer);
      port.postMessage({ id, ok }, buffers);
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ id, error: { name, message } });
    }
    Atomics.add(answered, 0, 1);
    Atomics.notify(answered, 0);
  });
}
