/**
 * interleave — a deterministic model checker and teaching sandbox for Redis locks and at-least-once message
 * processing. This is the package's one explicit export list.
 *
 * @example
 * import { check, replay } from 'interleave';
 * const result = check('inventory', { variant: 'naive-lock', seed: 1 });
 * console.log(result.result, result.violation?.property); // 'violation' 'no-oversell'
 * replay(result.violation!.replay!);
 * @packageDocumentation
 */

// Checking and replaying.
export { check, findScenario, defaultFaults, SEARCH_MODES, type SearchMode, type CheckOptions, type CheckResult } from './api/check.ts';
export { replay, type ReplayResult, type ReplayOptions } from './api/replay.ts';

// Async lock code as users write it (an async function of an ioredis client), checked as it is.
export { checkAsyncLock, type AsyncLockOptions, type AsyncLockCheck, type AsyncLockKeys } from './async/async-lock.ts';
export { checkAsync } from './async/check-async.ts';
export { AsyncProcess, type AsyncClientFunction, type AsyncContext } from './async/async-process.ts';
export { RedisReplyError, type ReplayingClient } from './async/replaying-client.ts';
export { checkShard, mergeShards, type Shard, type ShardOptions, type ShardResult, type RandomShardPart, type ExhaustiveShardPart } from './api/shard.ts';
export type { ScheduleRerun } from './check/parallel/random-part.ts';
export { threshold, THRESHOLD_BOUNDS, type ThresholdBound, type ThresholdOptions, type ThresholdProbe, type ThresholdResult } from './api/threshold.ts';
export type { ViolationReport } from './check/counterexample.ts';
export { SEARCH_ORDERS, type ExhaustiveStats, type SearchOrder } from './check/exhaustive.ts';
export type { TimelineStep } from './report/timeline.ts';
export { grade, type GradeOptions, type GradeResult, type Hint } from './grade/grade.ts';
export type { GradeStep } from './grade/exercise.ts';

// Pictures of counterexamples: a diagram model, rendered as SVG, HTML or Mermaid.
export { diagramModel, type Diagram, type DiagramSource, type DiagramRow, type DiagramViolation, type Lane, type LaneRole, type Span } from './report/diagram-model.ts';
export type { LockWindow, WindowEnd } from './report/lock-windows.ts';
export type { StepReading, MessageReading, MarkReading, KeyValue, CommandReading, MessageKind, MarkKind } from './report/step-reading.ts';
export { renderSvg, type SvgOptions } from './report/svg.ts';
export { renderHtml, type HtmlOptions } from './report/html.ts';
export { renderMermaid } from './report/mermaid.ts';
export { UsageError } from './check/prepare.ts';
export { ModelError } from './sim/machine-stepper.ts';

// The registry of built-in scenarios.
export { scenarios, inventory, orderCreate, payment, orderConfirm, checkout, clockSkew } from '../models/index.ts';

// Building blocks for scenarios of one's own.
export { defineScenario, type Scenario, type Variant, type Instance, type QueueSpec, type ProcessSpec, type ParamSpec, type Params, type Expectation } from './scenario.ts';
export { ask, protocolSetup, consumerSetup, CRITICAL, AWAITING, type Command, type CommandEvent, type ReplyEvent, type DeliveryEvent, type ChannelClosedEvent, type ProtocolEvent, type ClockCommand } from '../models/protocol.ts';
export type { Delivery, Settlement, SettleOutcome } from './world/amqp/types.ts';
export type { LockClientContext, LockProtocol, LockExits, StateConfigs } from '../models/lock-client.ts';
export { lockedMachine, noLock, critical } from '../models/locked-machine.ts';
export { naiveLock } from '../models/naive-lock.ts';
export { ownerCheckedLock, type OwnerCheckedOptions } from '../models/owner-checked-lock.ts';
export { fencedLock } from '../models/fenced-lock.ts';
export { timestampLock } from '../models/timestamp-lock.ts';
export { consumerMachine, IDLE_CONSUMER, type AckMode, type ConsumerContext, type ConsumerWork } from '../models/consumer.ts';
export { paymentWorker, type PaymentWorkerOptions } from '../models/payment-worker.ts';
export { confirmationWorker } from '../models/confirmation-worker.ts';
export { orderPublisher, publishOrder, type PublishStyle, type OrderContext } from '../models/order-publisher.ts';
export { outboxRelay, IDLE_RELAY, type RelayContext } from '../models/outbox-relay.ts';
export { always, sometimes, eventually, intValue, type Property, type WorldView, type ProcessView, type StepView, type EffectsView } from '../properties/property.ts';
export { noOversell, type StockKeys } from '../properties/no-oversell.ts';
export { noForeignRelease } from '../properties/no-foreign-release.ts';
export { mutualExclusion } from '../properties/mutual-exclusion.ts';
export { fencingMonotonic } from '../properties/fencing-monotonic.ts';
export { oneOrderPerCart } from '../properties/one-order-per-cart.ts';
export { noDuplicateCharge } from '../properties/no-duplicate-charge.ts';
export { noGhostCharge } from '../properties/no-ghost-charge.ts';
export { noDuplicateConfirmation } from '../properties/no-duplicate-confirmation.ts';
export { noLostOrder, type Processing } from '../properties/no-lost-order.ts';
export { noDeadlock } from '../properties/no-deadlock.ts';

// The deterministic kernel, for tools built on it.
export { RedisModel, type Expiry } from './world/redis/model.ts';
export { redisScripts, type RedisScript } from './world/redis/scripts/index.ts';
export { ScriptRedis } from './world/redis/scripts/redis-call.ts';
export type { RedisCommand, RedisReply, RedisError, KeyChange, RedisOutcome } from './world/redis/types.ts';
export { readClock, trueTimeWhen, perfectClock, type ClockSpec, type ClockJump } from './sim/clock.ts';
export { createPrng, type Prng } from './sim/prng.ts';
export type { FaultBudget } from './sim/actions.ts';
export { scheduleArbitrary, clockPlanArbitrary, type SkewBounds, type FixedClocks } from './check/arbitraries.ts';
export type { ClockPlan } from './sim/run-setup.ts';
