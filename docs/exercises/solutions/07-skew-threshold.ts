// SPOILER: a reference solution of exercise 7 (docs/exercises/07-skew-threshold). Try the exercise first.

/**
 * A writes the stamp `its clock + 3000 + 1`; B takes the lock over once that stamp is below B's own clock. With
 * every clock within ±s of true time, A's clock can read −s and B's +s at the same instant: B takes over at once
 * when −s + 3001 < s, that is 2s > 3001, s > 1500.5. The least whole number of ms is 1501; at 1500 the stamps
 * still protect the lock in every schedule (no pauses in this scenario: clocks alone decide).
 */
export const answer: number = 1501;
