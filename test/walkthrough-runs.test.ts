// Walkthrough 9 (docs/walkthroughs/09-from-model-to-real.md) shows `interleave run` outputs captured from real
// runs: their counts, times and timelines depend on timing, so they cannot be compared like the console blocks
// of test/docs.test.ts. What does not depend on timing is checked here: each `$ interleave run …` text block's
// command is run again, and its header (what ran, where, how fast, with which faults) and its list of properties
// must be the ones the page shows. Blocks with `--backend real` need the servers (test/services.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { ROOT, runnable } from './docs-blocks.ts';
import { AMQP_URL, REDIS_URL, service } from './services.ts';

const PAGE = 'docs/walkthroughs/09-from-model-to-real.md';

/** The page's ```text blocks that show a run: the command (after `$ `) and the output under it. */
function runBlocks(markdown: string): { command: string; output: string[] }[] {
  return [...markdown.matchAll(/^```text\n\$ (interleave run [^\n]*)\n([^]*?)\n```$/gm)].map((m) => ({ command: m[1], output: m[2].split('\n') }));
}

/** The parts of a run's output that timing cannot change: the two header lines (server addresses masked) and the property names. */
function untimed(output: readonly string[]): { header: string[]; properties: string[] } {
  const header = output.slice(0, 2).map((line) => line.replace(/(Redis|RabbitMQ) at \S+/g, '$1 at ‹server›'));
  const properties = output.slice(3).filter((line) => /^ {2}[✓✗–] /.test(line)).map((line) => line.slice(4).split(' ')[0]);
  return { header, properties };
}

/** Runs `interleave ARGV` in-process; resolves to what it printed on standard output. */
async function interleave(argv: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  await main(argv, (line) => out.push(...line.split('\n')));
  return out;
}

const blocks = runBlocks(readFileSync(join(ROOT, PAGE), 'utf8'));
const redis = await service('redis', REDIS_URL);
const amqp = await service('amqp', AMQP_URL);

describe('walkthrough 9 shows runs as they are', () => {
  it('shows runs on both backends', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(blocks.some((b) => !b.command.includes('--backend real'))).toBe(true);
    expect(blocks.some((b) => b.command.includes('--backend real'))).toBe(true);
  });

  it.for(blocks.map((b) => [b.command, b] as const))('%s', async ([, block], { skip }) => {
    const command = runnable(block.command);
    if (typeof command === 'string') throw new Error(`${PAGE}: ${command}`);
    const real = command.argv.includes('real');
    const needsBroker = block.output[0].includes('RabbitMQ');
    // service() has printed why (or thrown, under REQUIRE_SERVICES=1).
    if (real && (!redis.available || (needsBroker && !amqp.available))) skip();
    const actual = untimed(await interleave(command.argv));
    expect(actual, `${PAGE}: the run no longer prints this header and these properties; capture it again`).toEqual(untimed(block.output));
    expect(actual.properties.length).toBeGreaterThan(0);
  });
});
