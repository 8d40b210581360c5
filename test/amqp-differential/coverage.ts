/**
 * What a differential run exercised, read from the model's observations, so that a suite whose sequences never
 * reach the interesting behaviour (a redelivery, a channel error, a consumer held back by prefetch) fails
 * instead of passing vacuously.
 */
import { type Command, SLOTS } from './commands.ts';
import type { Observation } from './observation.ts';

/** The behaviours a fidelity suite must reach. */
export const BEHAVIOURS = [
  'auto-ack delivery', 'channel error', 'dead-lettered', 'held back by prefetch', 'redelivered',
  'refused on a closed channel', 'requeued by close', 'round-robin',
] as const;

/**
 * The {@link BEHAVIOURS} that `commands`, observed as `observations`, exercised.
 * @example behaviours(commands, new ModelWorld().run(commands)) // Set { 'redelivered', ... }
 */
export function behaviours(commands: readonly Command[], observations: readonly Observation[]): Set<(typeof BEHAVIOURS)[number]> {
  const seen = new Set<(typeof BEHAVIOURS)[number]>();
  const autoAck = new Set<number>();
  let consumers = 0;
  commands.forEach((command, i) => {
    const { result, deliveries, ready } = observations[i];
    const consumerOf = (line: string) => Number(line.split(' ')[2].slice(1));
    if (command.op === 'consume' && result === 'ok' && command.noAck) autoAck.add(consumers);
    if (command.op === 'consume' && result === 'ok') consumers++;
    if (deliveries.some((line) => autoAck.has(consumerOf(line)))) seen.add('auto-ack delivery');
    if (result.startsWith('closed:')) seen.add('channel error');
    if (result === 'illegal') seen.add('refused on a closed channel');
    if (deliveries.some((line) => line.endsWith(' redelivered'))) {
      seen.add('redelivered');
      if (command.op === 'close') seen.add('requeued by close');
    }
    // A message reached dlq: more ready or delivered there than was ready before (a settle on the dlq slot
    // frees room for one ready message, which leaves the sum unchanged).
    const deadSlot = `s${SLOTS - 1}`;
    const reachedDlq = ready.dlq + deliveries.filter((line) => line.startsWith(deadSlot)).length > (observations[i - 1]?.ready.dlq ?? 0);
    if ((command.op === 'nack' || command.op === 'reject') && !command.requeue && result === 'ok' && reachedDlq) seen.add('dead-lettered');
    if (ready.q > 0 && observations[i].consumers.q > 0) seen.add('held back by prefetch');
    if (observations[i].consumers.q > 1 && deliveries.some((line) => !line.startsWith(deadSlot))) seen.add('round-robin');
  });
  return seen;
}
