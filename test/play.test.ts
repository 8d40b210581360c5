import { describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { spawn } from 'node:child_process';
import { check } from '../src/api/check.ts';
import { decodeToken } from '../src/check/replay-token.ts';
import { UsageError } from '../src/check/prepare.ts';
import { encodeAction, type Action } from '../src/sim/actions.ts';
import { main } from '../src/cli/main.ts';
import { newGame, type Game } from '../src/play/game.ts';
import { PlaySession } from '../src/play/session.ts';
import { servePlay } from '../src/play/server.ts';
import { playView, type PlayView } from '../src/play/view.ts';

/**
 * The moves that replay the checker's counterexample on the play page: the clocks it ran on, chosen first
 * where the game lets the student choose them, then its actions.
 */
function counterexampleMoves(game: Game, token: string): Action[] {
  const { clocks, actions } = decodeToken(token);
  const all = [...clocks.processes, ...clocks.servers];
  const chosen = (game.setup.clockChoices?.nodes ?? []).map((node): Action => ({ kind: 'clock', node, offset: all[node].offset, driftPpm: all[node].driftPpm }));
  return [...chosen, ...actions];
}

/** Plays `moves` by index, as the page's buttons do; checks at every state that each choice offered is enabled. */
function play(game: Game, moves: readonly Action[]): PlaySession {
  let session = PlaySession.start(game);
  for (const move of moves) {
    for (const choice of session.choices) expect(session.simulation.isEnabled(choice), encodeAction(choice)).toBe(true);
    const index = session.choices.findIndex((c) => encodeAction(c) === encodeAction(move));
    expect(index, `${encodeAction(move)} among ${session.choices.map(encodeAction).join(' ')}`).toBeGreaterThanOrEqual(0);
    session = session.choose(index);
  }
  return session;
}

const viewJson = (session: PlaySession) => JSON.stringify(playView(session));

describe('play session', () => {
  const game = newGame('inventory', { variant: 'naive-lock' });
  const token = check('inventory', { variant: 'naive-lock' }).violation!.replay!;

  it("clicking through the checker's minimal counterexample ends on its violation, with the checker's run and the fixes", () => {
    const session = play(game, counterexampleMoves(game, token));
    expect(session.over).toBe(true);
    expect(session.choices).toEqual([]);
    const view = playView(session);
    expect(view.violation?.property).toBe('no-oversell');
    expect(view.violation?.message).toMatch(/2 sold with an initial stock of 1/);
    expect(view.violation?.yours.svg).toContain('id="il-violating-step"');
    expect(view.violation?.checker?.replay).toBe(`interleave replay ${token}`);
    expect(view.violation?.fixes.map((f) => f.name)).toEqual(['fenced', 'atomic-decr']);
    expect(view.properties.find((p) => p.name === 'no-oversell')?.status).toBe('violated');
    // A lesser property broke on the way (two buyers inside); the game went on to the headline.
    expect(view.properties.find((p) => p.name === 'mutual-exclusion')?.status).toBe('violated');
  });

  it('one move short of the end, nothing is violated yet and the game goes on', () => {
    const moves = counterexampleMoves(game, token);
    const session = play(game, moves.slice(0, -1));
    expect(session.over).toBe(false);
    expect(playView(session).properties.find((p) => p.name === 'no-oversell')?.status).toBe('holds');
  });

  it.each([
    ['payment', 'auto-ack'],
    ['clock-skew', 'timestamp-lock'],
  ])("%s / %s: the checker's counterexample (broker, or clocks chosen first) can be played too", (scenario, variant) => {
    const result = check(scenario, { variant });
    const other = newGame(scenario, { variant });
    const session = play(other, counterexampleMoves(other, result.violation!.replay!));
    expect(session.violation?.property.name).toBe(result.violation!.property);
  });

  it('undo goes back one move, reset to the start; neither changes the session it is called on', () => {
    const moves = counterexampleMoves(game, token);
    const two = play(game, moves.slice(0, 2));
    const three = play(game, moves.slice(0, 3));
    expect(viewJson(three.undo())).toBe(viewJson(two));
    expect(three.actions).toHaveLength(3);
    expect(viewJson(three.reset())).toBe(viewJson(PlaySession.start(game)));
    expect(PlaySession.start(game).undo().actions).toEqual([]);
  });

  it('refuses a choice that is not offered, and any choice once the game is over', () => {
    const start = PlaySession.start(game);
    expect(() => start.choose(start.choices.length)).toThrow(UsageError);
    expect(() => start.choose(-1)).toThrow(UsageError);
    expect(() => start.choose(0.5)).toThrow(UsageError);
    const over = play(game, counterexampleMoves(game, token));
    expect(() => over.choose(0)).toThrow('the game is over');
  });

  it('the view shows processes, keys with TTLs, clocks and choices in words', () => {
    const view = playView(play(game, counterexampleMoves(game, token).slice(0, 3)));
    expect(view.processes.find((p) => p.name === 'B')).toMatchObject({ status: 'paused until t=5001', inCritical: true, clock: 0 });
    expect(view.redis[0].keys).toContainEqual({ key: 'lock:stock', value: expect.stringMatching(/^B-/), ttlMs: 5000 });
    expect(view.choices.map((c) => c.label)).toContain('time passes to t=5001');
    expect(view.choices.find((c) => c.code === 'a0')?.label).toMatch(/^A arrives and runs SET lock:stock A-\S+ NX EX 5$/);
  });

  it('a fixed variant played to the end: over, every property held, eventually ones judged', () => {
    let session = PlaySession.start(newGame('inventory', { variant: 'atomic-decr' }));
    while (!session.over) session = session.choose(0);
    expect(session.violation).toBeNull();
    expect(session.verdicts.map((v) => v.status)).not.toContain('pending');
    expect(session.verdicts.map((v) => v.property.kind)).toContain('eventually');
  });
});

/** One HTTP request to the play server; resolves to the status and the parsed JSON body. */
function call(url: string, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; json: PlayView & { error?: string } }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('play server', () => {
  it('serves the view and takes moves as JSON; refuses bad ones', async () => {
    const server = await servePlay(newGame('inventory', { variant: 'naive-lock' }));
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const state = await call(server.url, 'GET', '/api/state');
      expect(state.json.step).toBe(0);
      expect((await call(server.url, 'POST', '/api/choose', '{"index":1}')).json.step).toBe(1);
      expect((await call(server.url, 'POST', '/api/choose', '{"index":0}')).json.step).toBe(2);
      expect((await call(server.url, 'POST', '/api/undo', '{}')).json.step).toBe(1);
      expect((await call(server.url, 'POST', '/api/choose', '{"index":99}')).status).toBe(400);
      expect((await call(server.url, 'POST', '/api/choose', 'index=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
      expect((await call(server.url, 'GET', '/api/state', undefined, { host: 'attacker.example' })).status).toBe(403);
      expect((await call(server.url, 'GET', '/api/undo')).status).toBe(405);
      expect((await call(server.url, 'GET', '/nothing')).status).toBe(404);
      expect((await call(server.url, 'POST', '/api/reset', '{}')).json.step).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('interleave play', () => {
  it.each([
    [['play'], 'play needs a SCENARIO'],
    [['play', 'nowhere'], "unknown scenario 'nowhere'"],
    [['play', 'inventory', '--variant', 'nope'], "has no variant 'nope'"],
    [['play', 'inventory', '--runs', '5'], '--runs is not an option of play'],
    [['play', 'inventory', '--port', '70000'], '--port must be from 0 to 65535'],
  ])('%j: one line on stderr, exit 2', async (argv, message) => {
    let err = '';
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => ((err += chunk), true)) as typeof process.stderr.write;
    try {
      expect(await main(argv)).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(err).toContain(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('prints the URL, serves until SIGINT, then exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/interleave.ts', 'play', 'inventory', '--variant', 'naive-lock', '--buyers', '2']);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (found) resolve(found[0]);
        });
        child.on('exit', () => reject(new Error(`exited before serving: ${out}`)));
      });
      const view = (await call(url, 'GET', '/api/state')).json;
      expect(view.processes.map((p) => p.name)).toEqual(['A', 'B']);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
