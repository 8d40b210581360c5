// Rewrites the output of every ```console block in README.md and docs/**/*.md from a fresh run, for when the
// output of `interleave` changed on purpose: npx tsx scripts/refresh-docs.ts — then review the diff (and the
// prose around the blocks, which is not checked). test/docs.test.ts checks the same blocks; see
// test/docs-blocks.ts for the convention.
import { refreshDocs } from '../test/docs-blocks.ts';

const rewritten = refreshDocs();
console.log(rewritten.length === 0 ? 'Every console block is up to date.' : `Rewrote ${rewritten.length} block(s):\n  ${rewritten.join('\n  ')}`);
