/**
 * Errors shaped as amqplib makes them, so code written against amqplib handles the embedded broker's failures
 * the same way: `code` (the AMQP reply code), `classId`/`methodId` (the method that failed), and the same message
 * texts (amqplib's `lib/channel.js` `convertCloseFrameToError` and `closeMessage`).
 */
import { IllegalOperationError } from 'amqplib';

/** The AMQP methods whose failure the embedded broker reports, with their class and method ids (AMQP 0-9-1). */
export const METHODS = {
  QueueDeclare: [50, 10], QueuePurge: [50, 30], QueueDelete: [50, 40], BasicQos: [60, 10], BasicConsume: [60, 20],
  BasicCancel: [60, 30], BasicPublish: [60, 40], BasicAck: [60, 80], BasicReject: [60, 90], BasicNack: [60, 120],
} as const;

/** A method name from {@link METHODS}. */
export type MethodName = keyof typeof METHODS;

/** Reply codes by the prefix RabbitMQ puts in the reply text, and amqplib's name for each. */
const CODES: Record<string, readonly [number, string]> = {
  CONNECTION_FORCED: [320, 'CONNECTION-FORCED'], NOT_FOUND: [404, 'NOT-FOUND'], PRECONDITION_FAILED: [406, 'PRECONDITION-FAILED'],
  NOT_ALLOWED: [530, 'NOT-ALLOWED'],
};

/** A `channel.close` or `connection.close` the broker sends: the reply text and the method that caused it. */
export interface CloseReason {
  /** RabbitMQ's reply text, e.g. `PRECONDITION_FAILED - unknown delivery tag 9`. */
  readonly text: string;
  /** The method that failed. */
  readonly method: MethodName;
}

/** An Error with the fields amqplib puts on protocol errors. */
export type ProtocolError = Error & { code: number; classId: number; methodId: number };

/** `406 (PRECONDITION-FAILED) with message "..."`, as amqplib's `closeMessage` writes a close frame. */
function closeMessage(text: string): { code: number; message: string } {
  const [code, name] = CODES[text.slice(0, text.indexOf(' - '))] ?? [541, 'INTERNAL-ERROR'];
  return { code, message: `${code} (${name}) with message "${text}"` };
}

function protocolError(message: string, code: number, method: MethodName): ProtocolError {
  const [classId, methodId] = METHODS[method];
  return Object.assign(new Error(message), { code, classId, methodId });
}

/**
 * The error a channel emits (`'error'` event) when the broker closes it, and that rejects an operation other
 * than the one that caused the close.
 * @example channelClosed({ text: 'PRECONDITION_FAILED - unknown delivery tag 9', method: 'BasicAck' }).message
 * // 'Channel closed by server: 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - unknown delivery tag 9"'
 */
export function channelClosed(reason: CloseReason): ProtocolError {
  const { code, message } = closeMessage(reason.text);
  return protocolError(`Channel closed by server: ${message}`, code, reason.method);
}

/**
 * The error that rejects the operation that caused the close.
 * @example operationFailed({ text: "NOT_FOUND - no queue 'q' in vhost '/'", method: 'QueueDeclare' }).message
 * // 'Operation failed: QueueDeclare; 404 (NOT-FOUND) with message "NOT_FOUND - no queue \'q\' in vhost \'/\'"'
 */
export function operationFailed(reason: CloseReason): ProtocolError {
  const { code, message } = closeMessage(reason.text);
  return protocolError(`Operation failed: ${reason.method}; ${message}`, code, reason.method);
}

/**
 * The error a channel emits when a consumer callback threw while handling a delivery: amqplib closes the
 * channel with INTERNAL_ERROR (541) and reports the exception itself (without class and method ids: the frame
 * being handled was content).
 * @example handlerFailed(new Error('bug')).code // 541
 */
export function handlerFailed(thrown: unknown): Error & { code: number } {
  return Object.assign(thrown instanceof Error ? thrown : new Error(String(thrown)), { code: 541 });
}

/**
 * The error a connection emits when the broker closes it (a connection-level error such as `NOT_ALLOWED`).
 * @example connectionClosed("NOT_ALLOWED - attempt to reuse consumer tag 't'").code // 530
 */
export function connectionClosed(text: string): Error & { code: number } {
  const { code, message } = closeMessage(text);
  return Object.assign(new Error(`Connection closed: ${message}`), { code });
}

/**
 * amqplib's error for using a channel or connection that is closed or closing (thrown, or rejecting a promise).
 * @example illegal('Channel closed').name // 'IllegalOperationError'
 */
export function illegal(message: string): Error {
  return new IllegalOperationError(message);
}

/**
 * The error for an amqplib feature the broker model does not have (exchanges other than the default one,
 * `basic.get`, global prefetch, queue options such as TTLs): refused loudly rather than silently ignored.
 * @example unsupported('assertExchange').message // 'the embedded broker does not model assertExchange'
 */
export function unsupported(what: string): Error {
  return new Error(`the embedded broker does not model ${what}`);
}
