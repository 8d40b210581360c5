/**
 * What the play page shows of a session, as plain data (the JSON the page's script renders): every process with
 * its status, next step and clock; every Redis server's keys, values, TTLs and clock; the broker's queues and
 * unacknowledged deliveries; the shop's orders, charges and e-mails; the choices in words; the verdicts; the run
 * so far as a timeline. Once a property breaks, also the student's run as a diagram, the checker's minimal
 * counterexample and the fixed variants.
 */
import { encodeAction, type Action } from '../sim/actions.ts';
import { readClock } from '../sim/clock.ts';
import type { Proc } from '../sim/proc.ts';
import type { Simulation } from '../sim/simulation.ts';
import type { KeyReading } from '../sim/redis-servers.ts';
import type { ViolationReport } from '../check/counterexample.ts';
import { diagramModel, type DiagramSource } from '../report/diagram-model.ts';
import { renderSvg } from '../report/svg.ts';
import { renderTimeline, timelineSteps } from '../report/timeline.ts';
import type { Expectation } from '../scenario.ts';
import { checkerCounterexample } from './game.ts';
import type { PlaySession, Verdict } from './session.ts';
import { choiceWords, commandWords } from './words.ts';
import { serverName } from '../report/timeline.ts';

/** A process as the page shows it. */
export interface ProcessLine {
  /** Its name (its lane). */
  readonly name: string;
  /** In words: `not arrived`, `ready`, `paused until t=5001`, `awaits a delivery`, `done`, `crashed`, …. */
  readonly status: string;
  /** The command it runs next, in words, or `null` when it has none. */
  readonly next: string | null;
  /** Its own clock's reading now. */
  readonly clock: number;
  /** It believes it is inside its critical section. */
  readonly inCritical: boolean;
}

/** A Redis server as the page shows it. */
export interface ServerLine {
  /** `redis`, `redis-1`, …. */
  readonly name: string;
  /** Its clock's reading now (its TTLs run on it). */
  readonly clock: number;
  /** Its live keys. */
  readonly keys: readonly KeyReading[];
}

/** The broker as the page shows it: message ids, queue by queue and channel by channel. */
export interface BrokerLines {
  /** Each queue's ready messages, in delivery order. */
  readonly queues: readonly { readonly name: string; readonly ready: readonly string[] }[];
  /** Each open channel's unacknowledged deliveries. */
  readonly unacked: readonly { readonly channel: string; readonly messages: readonly string[] }[];
}

/** One order as the shop's systems have it. */
export interface OrderLine {
  /** The order id. */
  readonly order: string;
  /** It is in the orders table. */
  readonly created: boolean;
  /** Charges the gateway made for it. */
  readonly charges: number;
  /** Confirmation e-mails sent for it. */
  readonly confirmations: number;
}

/** One choice the scheduler has. */
export interface ChoiceLine {
  /** Its number, to `POST /api/choose`. */
  readonly index: number;
  /** Its compact form (`s1`, `p1:5001`, as in replay tokens). */
  readonly code: string;
  /** In words. */
  readonly label: string;
  /** A fault (a pause, a crash, a loss, a channel close, a clock jump) rather than progress. */
  readonly fault: boolean;
}

/** A property and its verdict. */
export interface PropertyLine {
  /** Its name. */
  readonly name: string;
  /** `always` or `eventually`. */
  readonly kind: 'always' | 'sometimes' | 'eventually';
  /** What it demands. */
  readonly description: string;
  /** `holds`, `violated`, or `pending` (an `eventually` one before the run is over). */
  readonly status: Verdict['status'];
  /** Violated: the state that broke it. */
  readonly explanation: string | null;
}

/** A counterexample drawn: the diagram as SVG and the timeline as text. */
export interface RunPicture {
  /** The broken property. */
  readonly property: string;
  /** The state that breaks it. */
  readonly message: string;
  /** Scheduler decisions. */
  readonly decisions: number;
  /** The sequence diagram, SVG (the violating step has id `il-violating-step`). */
  readonly svg: string;
  /** The text timeline. */
  readonly timeline: readonly string[];
  /** The replay command, when there is one. */
  readonly replay: string | null;
}

/** What the page shows once a property broke. */
export interface ViolationView {
  /** The broken property (the highest-priority one, if several). */
  readonly property: string;
  /** What it demands. */
  readonly description: string;
  /** The state that broke it. */
  readonly message: string;
  /** The student's run up to the step that broke it. */
  readonly yours: RunPicture;
  /** The checker's minimal counterexample for the variant, or `null` when it finds none. */
  readonly checker: RunPicture | null;
  /** The variants of the scenario that fix it. */
  readonly fixes: readonly { readonly name: string; readonly summary: string }[];
}

/** Everything the play page shows. */
export interface PlayView {
  /** Scenario name. */
  readonly scenario: string;
  /** Variant name. */
  readonly variant: string;
  /** What the variant does. */
  readonly summary: string;
  /** Whether the checker expects it to break (`violates`) or hold. */
  readonly expected: Expectation;
  /** Actions taken so far. */
  readonly step: number;
  /** True time now, ms. */
  readonly now: number;
  /** The processes, in scenario order. */
  readonly processes: readonly ProcessLine[];
  /** The Redis servers, the store first. */
  readonly redis: readonly ServerLine[];
  /** The broker, or `null` in a scenario without one. */
  readonly broker: BrokerLines | null;
  /** The shop's orders (empty in a scenario without any). */
  readonly orders: readonly OrderLine[];
  /** What may happen next (none once the game is over). */
  readonly choices: readonly ChoiceLine[];
  /** The `always` and `eventually` properties, in priority order. */
  readonly properties: readonly PropertyLine[];
  /** The run so far, as the text timeline `check` prints. */
  readonly timeline: readonly string[];
  /** True when the headline property broke or nothing more can happen. */
  readonly over: boolean;
  /** Set once a property broke. */
  readonly violation: ViolationView | null;
}

const FAULTS: ReadonlySet<Action['kind']> = new Set(['pause', 'crash', 'lose', 'lose-confirm', 'close', 'jump']);

/** A process's status in words. */
function statusOf(p: Proc, now: number): string {
  if (p.status === 'absent') return 'not arrived';
  if (p.status !== 'running') return p.status;
  if (p.pausedUntil > now) return `paused until t=${p.pausedUntil}`;
  if (p.sleepUntil > now) return `sleeping until t=${p.sleepUntil}`;
  return p.local.awaiting ? 'awaits a delivery' : 'ready';
}

function processLine(p: Proc, now: number): ProcessLine {
  const ahead = p.status === 'running' || p.status === 'absent';
  const next = !ahead || p.local.command === null ? null : p.local.awaiting ? 'a delivery from the broker' : commandWords(p.local.command);
  return { name: p.name, status: statusOf(p, now), next, clock: readClock(p.clock, now), inCritical: p.inCritical };
}

function brokerLines(simulation: Simulation): BrokerLines | null {
  const { queues, channels } = simulation.brokerSnapshot();
  if (queues.length === 0 && channels.length === 0) return null;
  return {
    queues: queues.map((q) => ({ name: q.name, ready: q.ready.map((m) => m.messageId + (m.redelivered ? ' (redelivered)' : '')) })),
    unacked: channels.map((c) => ({ channel: c.name, messages: c.unacked.map((d) => `#${d.deliveryTag} ${d.messageId}`) })),
  };
}

function orderLines(simulation: Simulation): OrderLine[] {
  const { effects } = simulation;
  const orders = [...new Set([...effects.orderIds(), ...effects.chargedOrders()])];
  return orders.map((order) => ({ order, created: effects.hasOrder(order), charges: effects.charges(order), confirmations: effects.confirmations(order) }));
}

/** A counterexample as a picture and a text timeline. */
function picture(source: DiagramSource, decisions: number): RunPicture {
  const diagram = diagramModel(source);
  return {
    property: source.property, message: source.message, decisions,
    svg: renderSvg(diagram), timeline: renderTimeline(diagram.rows),
    replay: source.replay === null ? null : `interleave replay ${source.replay}`,
  };
}

function violationView(session: PlaySession, broken: Verdict): ViolationView {
  const { property } = broken;
  const names = session.simulation.processes.map((p) => p.name);
  const steps = timelineSteps(session.simulation.events!.slice(0, broken.events), names);
  const checker: ViolationReport | null = checkerCounterexample(session.game);
  return {
    property: property.name, description: property.description, message: broken.explanation!,
    yours: picture({ property: property.name, description: property.description, message: broken.explanation!, steps, replay: null }, broken.step!),
    checker: checker && picture(checker, checker.decisions),
    fixes: session.game.fixes.map((v) => ({ name: v.name, summary: v.summary })),
  };
}

/**
 * The page's view of `session`.
 * @example playView(PlaySession.start(newGame('inventory', { variant: 'naive-lock' }))).choices[0].label // 'A arrives and runs SET lock:stock …'
 */
export function playView(session: PlaySession): PlayView {
  const { simulation, game } = session;
  const { now } = simulation;
  const broken = session.violation;
  return {
    scenario: game.plan.scenario.name, variant: game.plan.variant.name, summary: game.plan.variant.summary, expected: game.plan.variant.expected,
    step: session.actions.length,
    now,
    processes: simulation.processes.map((p) => processLine(p, now)),
    redis: simulation.redisContents().map((keys, i) => ({ name: serverName(i), clock: simulation.serverClock(i), keys })),
    broker: brokerLines(simulation),
    orders: orderLines(simulation),
    choices: session.choices.map((action, index) => ({ index, code: encodeAction(action), label: choiceWords(simulation, action), fault: FAULTS.has(action.kind) })),
    properties: session.verdicts.map(({ property, status, explanation }) => ({
      name: property.name, kind: property.kind, description: property.description, status, explanation: explanation ?? null,
    })),
    timeline: simulation.events!.length === 0 ? [] : renderTimeline(timelineSteps(simulation.events!, simulation.processes.map((p) => p.name))),
    over: session.over,
    violation: broken && violationView(session, broken),
  };
}
