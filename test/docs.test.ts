// The documentation's examples are executed: every ```console block in README.md and docs/**/*.md is run
// in-process through `main(argv, out)` and its output must match the block exactly, stderr included. The
// convention (one `$ interleave …` or `$ npm start` command per block, set-up commands in plain `sh` blocks) is
// described in test/docs-blocks.ts.
//
// The only thing not compared is the `time` column of the `check --all` table: wall-clock milliseconds, which
// differ on every run and every machine. The blocks keep the real times of the run that last wrote them (so a
// reader sees a true sample) and both sides are masked to `‹time›` before comparing; see `maskVarying`.
//
// When the output changes on purpose, rewrite every block from a fresh run and review the diff:
//
//     npx tsx scripts/refresh-docs.ts
//
// (It also points each `$ interleave replay TOKEN` block at the token printed by the block above it.)
//
// Prose around the blocks (the walkthroughs explain their timelines line by line) is not checked: re-read it
// after a refresh.
import { describe, expect, it } from 'vitest';
import { actualOutput, allBlocks, consoleBlocks, maskVarying, replayedToken, runnable, tokenFromAbove } from './docs-blocks.ts';

const blocks = allBlocks();

describe('documentation examples', () => {
  it('the docs show commands with their output', () => {
    expect(blocks.map((b) => b.file)).toEqual(expect.arrayContaining(['README.md', 'docs/walkthroughs/01-the-articles-lock.md']));
  });

  it.each(blocks.map((b, i) => [`${b.file}:${b.line} $ ${b.command.slice(0, 80)}`, b, i] as const))('%s', (_name, block, index) => {
    // A replay block replays the counterexample printed above it, so the text around it ("replay the token
    // above") stays true.
    const above = tokenFromAbove(blocks, index);
    if (replayedToken(block.command) !== null && above !== null) {
      expect(replayedToken(block.command), `${block.file}:${block.line} replays another token than the one printed above it`).toBe(above);
    }
    const command = runnable(block.command);
    if (typeof command === 'string') throw new Error(`${block.file}:${block.line}: ${command}`);
    const actual = maskVarying(actualOutput(command)).join('\n');
    const expected = maskVarying(block.expected).join('\n');
    expect(actual, `${block.file}:${block.line} is stale; if the change is intended run: npx tsx scripts/refresh-docs.ts`).toBe(expected);
  });
});

describe('the docs convention itself', () => {
  it('splits a console block into command and output, and refuses what it cannot check', () => {
    const md = ['text', '```console', '$ interleave list', 'a', '', 'b', '```', '```sh', '$ npm ci', '```'].join('\n');
    expect(consoleBlocks('x.md', md)).toMatchObject([{ line: 2, command: 'interleave list', expected: ['a', '', 'b'] }]);
    expect(runnable('npm ci && npm start')).toMatch(/shell syntax/);
    expect(runnable('npx interleave list')).toMatch(/sh block/);
    expect(() => consoleBlocks('x.md', '```console\nno prompt\n```')).toThrow(/must start with "\$ COMMAND"/);
    expect(() => consoleBlocks('x.md', '```console\n$ interleave list\n$ interleave list\n```')).toThrow(/one command per console block/);
  });

  it('masks only the time column of the --all table', () => {
    const table = [
      'scenario   variant  steps  time',
      '─────────  ───────  ─────  ───────',
      'inventory  fenced   —      1234 ms',
      'inventory  naive    15     3 ms     ← unexpected',
      '',
      '  "elapsedMs": 51,',
      'took 3 ms',
    ];
    expect(maskVarying(table)).toEqual([
      'scenario   variant  steps  time',
      '─────────  ───────  ─────  ‹time›',
      'inventory  fenced   —      ‹time›',
      'inventory  naive    15     ‹time›  ← unexpected',
      '',
      '  "elapsedMs": ‹n›,',
      'took 3 ms',
    ]);
  });

  it('npm start is the start script of package.json, shown after npm\'s banner', () => {
    const start = runnable('npm start');
    expect(start).toMatchObject({ argv: ['check', '--all'] });
    expect(typeof start === 'object' && start.banner[1]).toMatch(/^> interleave@\S+ start$/);
  });
});
