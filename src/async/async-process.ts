/**
 * An unmodified async function as a checker process. The engine's processes are pure machines that are
 * memoised, cloned and replayed, which a live async function cannot be; and the engine is synchronous, while an
 * async function only reaches its next command after the microtask queue drains. So the function is compiled:
 * its local state is the list of replies it has received, and a table maps each such history to the command
 * it sends next (or to its end). The table is filled lazily, between checks: a history the table does not
 * know ends the process in an `unexplored` state and is noted; `explore()` then runs the function (with a
 * replaying client) to learn it, and the check runs again, until a check meets no unknown history. That last
 * check is exactly the check of the function itself, since every history it visited was answered by the
 * function.
 */
import { assign, setup, type AnyStateMachine } from 'xstate';
import { ask, type Command, type CommandEvent, type ReplyEvent } from '../../models/protocol.ts';
import type { ProcessSpec } from '../scenario.ts';
import { replayingClient, RedisReplyError, type ReplayingClient } from './replaying-client.ts';
import { UsageError } from '../check/prepare.ts';

/**
 * Lock code as users write it: an async function of an ioredis client and the caller's lock value. Its commands
 * are its only scheduling points, and it must be deterministic: time comes from `await client.now()` (its node's
 * clock, skew included) and waiting from `await client.sleep(ms)` (on that clock), never from `Date.now()` or
 * timers, which the checker does not see.
 * @example const buy: AsyncClientFunction = async (client, token) => { await client.set('lock', token, 'EX', 5, 'NX'); };
 */
export type AsyncClientFunction = (client: ReplayingClient, token: string) => Promise<unknown>;

/** A process's local state: its lock value (which `no-foreign-release` reads) and the replies so far. */
export interface AsyncContext {
  /** The value the function was called with, e.g. `A`. */
  readonly token: string;
  /** Every reply it has received, in order. */
  readonly replies: readonly unknown[];
}

/** What the function does after a history of replies: send a command, or end. */
type Step = { readonly command: Command } | { readonly done: true };

const historyKey = (replies: readonly unknown[]) => JSON.stringify(replies);

/**
 * One process running `fn(client, token)`, compiled lazily into a machine (see the file comment).
 * @example
 * const buyer = new AsyncProcess('A', buy, 'A');
 * // put buyer.spec() in an Instance's processes, check, then: while (buyer.unexplored > 0) { await buyer.explore(); check again }
 */
export class AsyncProcess {
  private readonly steps = new Map<string, Step>();
  private readonly missing = new Map<string, readonly unknown[]>();
  private current: AnyStateMachine;
  /** Its lane, e.g. `A`. */
  readonly name: string;
  /** What `fn` receives as its second argument: its lock value. */
  readonly token: string;

  /** A process `name` that runs `fn(client, token)`. */
  constructor(name: string, private readonly fn: AsyncClientFunction, token: string) {
    this.name = name;
    this.token = token;
    this.current = this.compile();
  }

  /** The process as a scenario's ProcessSpec (the machine of the table as it stands). */
  spec(): ProcessSpec {
    return { name: this.name, machine: this.current, input: this.startContext() };
  }

  private startContext(): AsyncContext {
    return { token: this.token, replies: [] };
  }

  /** Histories that checks since the last `explore()` reached but the table does not know yet. */
  get unexplored(): number {
    return this.missing.size;
  }

  /** Runs the function on every unexplored history and starts a new machine (the engine caches per machine). */
  async explore(): Promise<void> {
    for (const [key, replies] of this.missing) this.steps.set(key, await this.run(replies));
    this.missing.clear();
    this.current = this.compile();
  }

  /** Runs the function against `replies` until it sends its next command or ends. */
  private run(replies: readonly unknown[]): Promise<Step> {
    const expected = replies.map((_, i) => this.commandAfter(replies.slice(0, i)));
    return new Promise<Step>((resolve, reject) => {
      // The command counts once the microtasks it set off have run: a second command sent at once (Promise.all)
      // rejects the function first, and a rejection that comes first wins.
      const client = replayingClient(replies, expected, (command) => setImmediate(() => resolve({ command })));
      // An error reply the function lets escape ends it, as it ends a request; any other error is a bug to show.
      Promise.resolve()
        .then(() => this.fn(client, this.token))
        .then(() => resolve({ done: true }), (error: unknown) => {
          if (error instanceof RedisReplyError) resolve({ done: true });
          else reject(error instanceof UsageError ? error : new UsageError(`process ${this.name}: the function threw: ${(error as Error)?.message ?? String(error)}`));
        });
    });
  }

  private commandAfter(replies: readonly unknown[]): Command {
    const step = this.steps.get(historyKey(replies));
    if (!step || !('command' in step)) throw new Error(`${this.name}: history ${historyKey(replies)} has no command`);
    return step.command;
  }

  /** The step after `replies`, or undefined (noted as missing) when the function has not been run on it yet. */
  private lookup(replies: readonly unknown[]): Step | undefined {
    const key = historyKey(replies);
    const step = this.steps.get(key);
    if (!step) this.missing.set(key, replies);
    return step;
  }

  private compile(): AnyStateMachine {
    return setup({
      types: {} as { context: AsyncContext; input: AsyncContext; events: ReplyEvent; emitted: CommandEvent },
      guards: {
        ended: ({ context }) => 'done' in (this.lookup(context.replies) ?? {}),
        unknown: ({ context }) => this.lookup(context.replies) === undefined,
      },
    }).createMachine({
      id: `async-${this.name}`,
      // xstate's pure transitions also start an inert actor without input: it starts where a real one does.
      context: ({ input }) => input ?? this.startContext(),
      initial: 'next',
      states: {
        next: { always: [{ guard: 'unknown', target: 'unexplored' }, { guard: 'ended', target: 'done' }, { target: 'waiting' }] },
        waiting: {
          entry: ask<AsyncContext>(({ replies }) => this.commandAfter(replies)),
          on: { reply: { target: 'next', actions: assign({ replies: ({ context, event }) => [...context.replies, event.value] }) } },
        },
        done: { type: 'final' },
        // Never part of a finished check's result: the check is run again once the function has told.
        unexplored: { type: 'final' },
      },
    });
  }
}
