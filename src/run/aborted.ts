/** The signal that ends a process's wait: it was killed, or the iteration is over. */

/**
 * Thrown to a process waiting (sleeping, paused, blocked on the outbox, awaiting a delivery) when its wait
 * is cut short; the process then stops without doing anything more.
 * @example if (error instanceof Aborted) return 'stopped';
 */
export class Aborted extends Error {
  override readonly name = 'Aborted';
}
