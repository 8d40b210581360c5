/**
 * The pages in a real browser: Debian's Chromium, headless, driven by playwright-core (which downloads nothing:
 * it runs /usr/bin/chromium). Without Chromium the tests skip with a printed reason, except under
 * REQUIRE_SERVICES=1 (CI installs it in .ci/run), where its absence fails the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { check } from '../src/api/check.ts';
import { decodeToken } from '../src/check/replay-token.ts';
import { encodeAction } from '../src/sim/actions.ts';
import { main } from '../src/cli/main.ts';
import { newGame } from '../src/play/game.ts';
import { servePlay, type PlayServer } from '../src/play/server.ts';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  const reason = `${CHROMIUM} is not installed (apt-get install -y chromium)`;
  if (process.env.REQUIRE_SERVICES === '1') throw new Error(`${reason}, and REQUIRE_SERVICES=1 requires it`);
  console.warn(`skipping browser tests: ${reason}`);
}

/** Flags for a quiet, offline, throwaway browser. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A page whose console errors, uncaught exceptions and requests are collected. */
async function watchedPage(context: BrowserContext) {
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  return { page, errors, requests };
}

/** Waits until the play page has drawn the view after `step` moves. */
const drawn = (page: Page, step: number) => page.waitForSelector(`#play[data-step="${step}"]`);

describe.skipIf(!available)('in headless Chromium', () => {
  let context: BrowserContext;
  let profile: string;
  let scratch: string;

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'interleave-test-chromium-'));
    scratch = mkdtempSync(join(tmpdir(), 'interleave-test-pages-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    for (const dir of [profile, scratch]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the HTML diagram of check --html renders with no console errors and shows the violating step', async () => {
    const file = join(scratch, 'naive-lock.html');
    expect(main(['check', 'inventory', '--variant', 'naive-lock', '--html', file], () => {})).toBe(1);
    const { page, errors, requests } = await watchedPage(context);
    await page.goto(pathToFileURL(file).href);
    const step = page.locator('svg #il-violating-step');
    await expect(step.isVisible()).resolves.toBe(true);
    expect(await step.textContent()).toContain('INCR sold → 2');
    expect(await page.locator('h1').textContent()).toBe('✗ no-oversell violated');
    expect(errors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    await page.close();
  });

  it("on the play page, clicking through the checker's minimal counterexample ends on the violation banner", async () => {
    const result = check('inventory', { variant: 'naive-lock' });
    const moves = decodeToken(result.violation!.replay!).actions.map(encodeAction);
    let server: PlayServer | undefined;
    try {
      server = await servePlay(newGame('inventory', { variant: 'naive-lock' }));
      const { page, errors, requests } = await watchedPage(context);
      await page.goto(server.url);
      await drawn(page, 0);
      for (const [i, code] of moves.entries()) {
        expect(await page.locator('#banner', { hasText: 'no-oversell' }).count(), `before move ${i}`).toBe(0);
        await page.click(`#play[data-step="${i}"] button[data-action="${code}"]`);
        await drawn(page, i + 1);
      }
      const banner = page.locator('#banner');
      expect(await banner.textContent()).toBe(`✗ no-oversell violated: ${result.violation!.message}`);
      expect(await page.locator('#play button[data-action]').count()).toBe(0);
      expect(await page.locator('text=The minimal counterexample the checker finds').count()).toBe(1);
      expect(await page.locator('code', { hasText: 'interleave check inventory --variant fenced' }).count()).toBe(1);
      expect(errors).toEqual([]);
      expect(requests.filter((url) => !url.startsWith(server!.url))).toEqual([]);
      await page.close();
    } finally {
      await server?.close();
    }
  });
});
