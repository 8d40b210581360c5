/**
 * A timeline step read back into what happened, for pictures: a command that went from a process to a server
 * (which server, which command, its reply, what it removed), a delivery from the broker, or a mark on the
 * node's own lane (a pause, a crash, an expiry). It reads the texts `describe.ts` writes, so that anything that
 * produces `TimelineStep`s — the checker today, the real runner later — can be drawn.
 */
import { serverName, type TimelineStep } from './timeline.ts';

/** What an arrow between two lanes carries. */
export type MessageKind =
  /** A command to a server, with its reply (`SET lock:stock B-ffe0 NX EX 5 → OK`). */
  | 'command'
  /** A consumer settling a delivery: `AMQP.ACK`, `AMQP.NACK` or `AMQP.REJECT`. */
  | 'ack'
  /** The broker handing a consumer a message. */
  | 'delivery'
  /** The broker telling a consumer its channel is closed. */
  | 'closed';

/** What happened on a lane without a message to another. */
export type MarkKind =
  | 'arrive' | 'finish' | 'pause' | 'resume' | 'crash' | 'restart'
  /** The broker closes the process's channel. */
  | 'close'
  /** The process reads its clock or sleeps by it. */
  | 'clock'
  /** A node's clock jumps. */
  | 'jump'
  /** A key expires on a Redis server. */
  | 'expire'
  /** The broker requeues, dead-letters, drops or auto-acks a message. */
  | 'settle'
  /** A publish or its confirm is lost. */
  | 'lost'
  /** Anything else (a text this reader does not know): shown as it is. */
  | 'note';

/** A command as sent: `@2 SET lock:stock B-ffe0 NX PX 5000 → OK` is `SET` with its arguments, on `redis-2`. */
export interface CommandReading {
  /** The command's name, e.g. `SET`, `EVAL`, `AMQP.ACK`, `PAY.CHARGE`. */
  readonly name: string;
  /** Its arguments, as printed. */
  readonly args: readonly string[];
  /** Its reply, as printed: `OK`, `nil`, `1`, `"ch_1"`. */
  readonly reply: string;
  /** The values it removed from Redis (`DEL lock → 1  (removed "B-ffe0")`). */
  readonly removed: readonly string[];
}

/** A step that is an arrow from one lane to another. */
export interface MessageReading {
  /** Always `message`. */
  readonly kind: 'message';
  /** What the arrow carries. */
  readonly message: MessageKind;
  /** The lane it leaves. */
  readonly from: string;
  /** The lane it reaches. */
  readonly to: string;
  /** The command, for `command` and `ack`. */
  readonly command?: CommandReading;
}

/** A step that is a mark on its own lane. */
export interface MarkReading {
  /** Always `mark`. */
  readonly kind: 'mark';
  /** What happened. */
  readonly mark: MarkKind;
  /** For `expire`: the key and the value it held. */
  readonly expired?: KeyValue;
}

/** A key and its value. */
export interface KeyValue {
  /** The key. */
  readonly key: string;
  /** Its value. */
  readonly value: string;
}

/** One step, read: an arrow or a mark. */
export type StepReading = MessageReading | MarkReading;

/** The lane of a server the command names: `@2 …` is Redlock's instance 2, `AMQP.…` the broker, and so on. */
function serverOf(name: string, address: string | undefined): string {
  if (address !== undefined) return serverName(Number(address));
  if (name.startsWith('AMQP.')) return 'broker';
  if (name.startsWith('PAY.')) return 'gateway';
  if (name.startsWith('DB.')) return 'db';
  if (name.startsWith('MAIL.')) return 'mailer';
  return 'redis';
}

/** A value as `describe.ts` quotes it (JSON), unquoted; a text that is not a JSON string stays as it is. */
function unquote(quoted: string): string {
  try {
    const value: unknown = JSON.parse(quoted);
    return typeof value === 'string' ? value : quoted;
  } catch {
    return quoted;
  }
}

const ACKS = new Set(['AMQP.ACK', 'AMQP.NACK', 'AMQP.REJECT']);

/** `[@N ]NAME ARGS… → REPLY[  (removed "V", removed "W")]`, as `describeEvent` writes a command. */
function readCommand(node: string, text: string): StepReading | null {
  const arrow = text.indexOf(' → ');
  if (arrow < 0) return null;
  const words = text.slice(0, arrow).split(' ');
  const address = words[0].startsWith('@') ? words.shift()!.slice(1) : undefined;
  const [name, ...args] = words;
  let reply = text.slice(arrow + 3);
  const removed: string[] = [];
  const bracket = reply.lastIndexOf('  (removed ');
  if (bracket >= 0 && reply.endsWith(')')) {
    for (const [, quoted] of reply.slice(bracket).matchAll(/removed ("(?:[^"\\]|\\.)*")/g)) removed.push(unquote(quoted));
    reply = reply.slice(0, bracket);
  }
  return { kind: 'message', message: ACKS.has(name) ? 'ack' : 'command', from: node, to: serverOf(name, address), command: { name, args, reply, removed } };
}

/** Marks by the text's first characters, most specific first. */
const MARKS: readonly (readonly [string, MarkKind])[] = [
  ['arrives', 'arrive'], ['finishes', 'finish'], ['‖ ', 'pause'], ['⏸ ', 'pause'], ['▶ ', 'resume'], ['✗ crashes', 'crash'], ['↻ ', 'restart'],
  ['✂ ', 'close'], ['reads its clock', 'clock'], ['sleeps ', 'clock'], ['⏭ ', 'jump'], ['↩ ', 'settle'], ['✓ ', 'settle'], ['✗ ', 'lost'],
];

/**
 * Reads one step of a timeline.
 * @example readStep({ t: 0, node: 'B', clock: 0, text: '@2 GET stock → "1"' }) // a command from B to redis-2
 */
export function readStep(step: TimelineStep): StepReading {
  const { node, text } = step;
  if (text.startsWith('⇐ delivery')) return { kind: 'message', message: 'delivery', from: 'broker', to: node };
  if (text.startsWith('⇐ hears its channel is closed')) return { kind: 'message', message: 'closed', from: 'broker', to: node };
  const expiry = /^⌛ (\S+) expires \(was (".*")\)$/.exec(text);
  if (expiry) return { kind: 'mark', mark: 'expire', expired: { key: expiry[1], value: unquote(expiry[2]) } };
  const mark = MARKS.find(([prefix]) => text.startsWith(prefix));
  if (mark) return { kind: 'mark', mark: mark[1] };
  return readCommand(node, text) ?? { kind: 'mark', mark: 'note' };
}
