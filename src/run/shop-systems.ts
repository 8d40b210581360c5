/**
 * The shop's external systems during a real run — payment gateway, orders table with outbox, mailer. They
 * stand for systems we do not run for real (a card processor, a SQL database, an e-mail provider), so the
 * runner keeps one in-process instance of the same pure model the checker uses (src/world/effects): each
 * command executes atomically at the moment it is sent. What it adds is waiting: `DB.OUTBOX_TAKE` blocks
 * while there is no unsent outbox row, as the relay's poll of a real table would.
 */
import { Effects, type EffectCommand } from '../world/effects/effects.ts';
import { Aborted } from './aborted.ts';

/**
 * The shop's systems of one run.
 * @example
 * const shop = new ShopSystems();
 * await shop.exec(['DB.CREATE_ORDER', 'order-1'], () => 0); // 'OK'
 */
export class ShopSystems {
  /** The state, read by the final-state comparison. */
  readonly effects = new Effects();
  private waiters: (() => void)[] = [];

  /**
   * Executes `cmd` at model time `now()` (read when it actually runs, after any wait) and answers its reply and
   * that time; a blocking command waits until it can run, or rejects with {@link Aborted} when `signal` aborts.
   * @example await shop.exec(['DB.OUTBOX_TAKE'], clock.now, signal) // { reply: [1, 'confirmations', 'order-1', 'msg-order-1'], at: 12.5 }
   */
  async exec(cmd: EffectCommand, now: () => number, signal?: AbortSignal): Promise<{ reply: unknown; at: number }> {
    while (this.effects.blocks(cmd)) await this.changed(signal);
    const at = now();
    const reply = this.effects.exec(cmd, Math.round(at));
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
    return { reply, at };
  }

  /**
   * True when `cmd` would wait now.
   * @example shop.blocks(['DB.OUTBOX_TAKE'])
   */
  blocks(cmd: EffectCommand): boolean {
    return this.effects.blocks(cmd);
  }

  /** Resolves after the next command ran; rejects when `signal` aborts. */
  private changed(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new Aborted('stopped while waiting'));
      const onAbort = () => reject(new Aborted('stopped while waiting'));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }
}
