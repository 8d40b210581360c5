/**
 * A game in progress: the student is the scheduler. A session is a value — the actions chosen so far — and the
 * run they make, re-executed on the simulation the checker uses, with the same choices exhaustive search has
 * at each state (`choicesAt`). Properties are judged as the checker judges a run to its end: every `always`
 * property after every step (a broken one stays broken), `eventually` ones when nothing more can happen. The game
 * is over when the headline property (the variant's first) breaks, or when nothing more can happen.
 */
import type { Action } from '../sim/actions.ts';
import { Simulation } from '../sim/simulation.ts';
import { choicesAt } from '../check/exhaustive.ts';
import { UsageError } from '../check/prepare.ts';
import type { Property } from '../../properties/property.ts';
import type { Game } from './game.ts';

/** A property's verdict on the run so far. */
export interface Verdict {
  /** The property. */
  readonly property: Property;
  /** `holds` so far; `violated`; `pending` for an `eventually` property while the run is not over. */
  readonly status: 'holds' | 'violated' | 'pending';
  /** Violated: the state that broke it. */
  readonly explanation?: string;
  /** Violated: after how many actions. */
  readonly step?: number;
  /** Violated: how many of the run's events had happened by then (where its story ends). */
  readonly events?: number;
}

/** One game: the actions chosen so far and where they led. Immutable: each move gives a new session. */
export class PlaySession {
  /** The run so far, recording its events (read it, do not apply to it). */
  readonly simulation: Simulation;
  /** The `always` and `eventually` properties, in priority order, each with its verdict. */
  readonly verdicts: readonly Verdict[];
  /** True when the headline property broke or nothing more can happen. */
  readonly over: boolean;
  /** What may happen next: `choicesAt` the current state; none once the game is over. */
  readonly choices: readonly Action[];

  private constructor(readonly game: Game, readonly actions: readonly Action[]) {
    const simulation = new Simulation(game.setup, true);
    const judged = game.plan.properties.filter((p) => p.kind !== 'sometimes');
    const broken = new Map<Property, Verdict>();
    const judge = (property: Property, step: number) => {
      if (broken.has(property) || property.test(simulation)) return;
      broken.set(property, { property, status: 'violated', explanation: property.explain(simulation), step, events: simulation.events!.length });
    };
    actions.forEach((action, i) => {
      simulation.apply(action);
      for (const property of judged) if (property.kind === 'always') judge(property, i + 1);
    });
    const quiescent = simulation.isQuiescent();
    if (quiescent) for (const property of judged) if (property.kind === 'eventually') judge(property, actions.length);
    this.simulation = simulation;
    this.verdicts = judged.map((property) => broken.get(property) ?? { property, status: property.kind === 'eventually' && !quiescent ? 'pending' : 'holds' });
    this.over = quiescent || broken.has(judged[0]);
    this.choices = this.over ? [] : choicesAt(simulation);
  }

  /**
   * A new game of `game`.
   * @example PlaySession.start(newGame('inventory', { variant: 'naive-lock' })).choices.length
   */
  static start(game: Game): PlaySession {
    return new PlaySession(game, []);
  }

  /** The highest-priority property broken so far, or `null`. */
  get violation(): Verdict | null {
    return this.verdicts.find((v) => v.status === 'violated') ?? null;
  }

  /**
   * The session after taking choice number `index` of `choices`; a `UsageError` for any other number.
   * @example session.choose(0).actions.length // session.actions.length + 1
   */
  choose(index: number): PlaySession {
    if (!Number.isInteger(index) || index < 0 || index >= this.choices.length) {
      throw new UsageError(this.over ? 'the game is over: undo or reset' : `no choice ${index} (choices: 0 to ${this.choices.length - 1})`);
    }
    return new PlaySession(this.game, [...this.actions, this.choices[index]]);
  }

  /** The session before the last choice (the same one at the start). */
  undo(): PlaySession {
    return this.actions.length === 0 ? this : new PlaySession(this.game, this.actions.slice(0, -1));
  }

  /** A new game of the same variant. */
  reset(): PlaySession {
    return PlaySession.start(this.game);
  }
}
