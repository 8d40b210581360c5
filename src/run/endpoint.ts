/**
 * Where a server is, for error messages: `host:port` of a URL given on the command line, and a deadline so a
 * server that is down or a wrong address is reported within 2 s rather than after a client's own retries.
 */
import { UsageError } from '../check/prepare.ts';

/** How long connecting to a server may take before the run gives up on it. */
export const CONNECT_DEADLINE_MS = 2000;

/**
 * `host:port` of `url`, checking its scheme; `option` names the flag it came from.
 * @example endpoint('redis://127.0.0.1', ['redis:'], 6379, '--redis') // '127.0.0.1:6379'
 */
export function endpoint(url: string, schemes: readonly string[], defaultPort: number, option: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${option} needs a URL such as ${schemes[0]}//host:port, got '${url}'`);
  }
  if (!schemes.includes(parsed.protocol)) throw new UsageError(`${option} needs a ${schemes.join(' or ')} URL, got '${url}'`);
  return `${parsed.hostname || 'localhost'}:${parsed.port || defaultPort}`;
}

/**
 * `connecting`, or a rejection once {@link CONNECT_DEADLINE_MS} has passed.
 * @example await withinDeadline(client.connect(), 'Redis at 127.0.0.1:6379')
 */
export async function withinDeadline<T>(connecting: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_DEADLINE_MS} ms from ${what}`)), CONNECT_DEADLINE_MS);
  });
  // A late failure after the deadline has nobody left to hear it.
  connecting.catch(() => undefined);
  try {
    return await Promise.race([connecting, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
