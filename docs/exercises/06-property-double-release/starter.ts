// Exercise 6: write the property that catches the double release — the task is in README.md beside this file.
// Copy this file into the project, edit the copy, and grade it:
//   npx interleave grade 06-property-double-release my-property.ts
import { always, type Property } from 'interleave';

/** Your properties: they must fail on the article's lock and hold on the owner-checked one. */
export const properties: Property[] = [
  always(
    'no-foreign-release',
    "a client never deletes the lock while it holds another client's token",
    // TODO: this never fails, so it catches nothing. Look at the step just taken: w.step.
    (w) => w.now >= 0,
    () => 'TODO: say whose lock was deleted, and by whom',
  ),
];
