// Exercise 7: find the skew threshold — the task is in README.md beside this file.
// Copy this file into the project, edit the copy, and grade it:
//   npx interleave grade 07-skew-threshold my-answer.ts

/** The least --max-skew, in ms, at which the timestamp lock with a 3,000 ms timeout lets two buyers oversell. */
export const answer: number = 1; // TODO: work it out, then check it
