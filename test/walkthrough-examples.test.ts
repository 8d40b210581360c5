// Walkthrough 8 (docs/walkthroughs/08-write-your-own-model.md) shows code and output of a scenario of one's own.
// The code lives in docs/walkthroughs/examples/; this file runs it — its test file is imported, which registers
// its tests here, and its script is run — and checks that the page shows that code verbatim and that code's
// real output, so the page cannot drift from what the package does.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { expectHolds } from '../src/vitest.ts';
import { coupon } from '../docs/walkthroughs/examples/coupon.ts';
import '../docs/walkthroughs/examples/coupon.test.ts';
import { ROOT } from './docs-blocks.ts';

const EXAMPLES = join(ROOT, 'docs/walkthroughs/examples');
const PAGE = readFileSync(join(ROOT, 'docs/walkthroughs/08-write-your-own-model.md'), 'utf8');

/** The fenced blocks of `markdown` with the info string `info`, as their text. */
function blocks(markdown: string, info: string): string[] {
  return [...markdown.matchAll(new RegExp(`^\`\`\`${info}\\n([^]*?)\\n\`\`\`$`, 'gm'))].map((m) => m[1]);
}

/** The text block right under the comment `<!-- LABEL -->`, failing when the page has none. */
function outputBlock(label: string): string {
  const match = new RegExp(`<!-- ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} -->\\n\`\`\`text\\n([^]*?)\\n\`\`\``).exec(PAGE);
  if (!match) throw new Error(`08-write-your-own-model.md has no text block under <!-- ${label} -->`);
  return match[1];
}

/** What `run` prints with console.log, as one text. */
async function printed(run: () => unknown): Promise<string> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => lines.push(args.join(' ')));
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}

const stale = 'the page is stale: copy the actual text into docs/walkthroughs/08-write-your-own-model.md';

describe('walkthrough 8 shows real code', () => {
  const sources = readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(EXAMPLES, f), 'utf8'));

  it.each(blocks(PAGE, 'ts').map((block) => [block.split('\n')[0], block] as const))('the ts block starting %j is an excerpt of an example file', (_first, block) => {
    expect(sources.some((source) => source.includes(block)), `not found verbatim in docs/walkthroughs/examples/*.ts:\n${block}`).toBe(true);
  });

  it('and shows some', () => {
    expect(blocks(PAGE, 'ts').length).toBeGreaterThanOrEqual(4);
  });
});

describe('walkthrough 8 shows real output', () => {
  it('the message of a wrong expectHolds', () => {
    let message = '';
    try {
      expectHolds(coupon, { variant: 'check-then-redeem' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message, stale).toBe(outputBlock("the message of expectHolds(coupon, { variant: 'check-then-redeem' })"));
  });

  it('the output of the script', async () => {
    const output = await printed(() => import('../docs/walkthroughs/examples/check-coupon.ts'));
    expect(output, stale).toBe(outputBlock('the output of docs/walkthroughs/examples/check-coupon.ts'));
  });
});
