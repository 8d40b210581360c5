/**
 * The play server: `node:http` on 127.0.0.1 only, serving the page and a small JSON API over one session —
 * `GET /api/state`, `POST /api/choose {"index": n}`, `POST /api/undo`, `POST /api/reset`, each answering the
 * new view. Requests must name this server as their host (no DNS rebinding), and moves must be JSON (no
 * cross-site form posts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../check/prepare.ts';
import type { Game } from './game.ts';
import { playPage } from './page.ts';
import { PlaySession } from './session.ts';
import { playView } from './view.ts';

/** A running play server. */
export interface PlayServer {
  /** Where the page is, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  /** Stops serving (and drops open connections). */
  close(): Promise<void>;
}

/** Options of `servePlay`. */
export interface ServeOptions {
  /** The port (default 0: a free one). */
  readonly port?: number;
}

/** The page, and the API's headers: nothing may be loaded from elsewhere. */
const POLICY = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'";

/** Largest request body read, bytes: a move is a few characters. */
const MAX_BODY = 1024;

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'content-security-policy': POLICY, 'cache-control': 'no-store' });
  response.end(body);
}

const sendJson = (response: ServerResponse, status: number, value: unknown) => send(response, status, 'application/json', JSON.stringify(value));

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) reject(new UsageError('request too large'));
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

/** The index of a `choose` body, checked. */
function indexOf(body: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new UsageError('the body must be JSON, e.g. {"index": 0}');
  }
  const index = (parsed as { index?: unknown } | null)?.index;
  if (typeof index !== 'number') throw new UsageError('choose needs {"index": n}');
  return index;
}

/**
 * Serves a game of `game` on 127.0.0.1; resolves once listening. A port it cannot listen on is a `UsageError`.
 * @example const server = await servePlay(newGame('inventory', { variant: 'naive-lock' })); console.log(server.url)
 */
export async function servePlay(game: Game, options: ServeOptions = {}): Promise<PlayServer> {
  let session = PlaySession.start(game);
  const page = playPage(`${game.plan.scenario.name} / ${game.plan.variant.name}`);
  const moves: Readonly<Record<string, (body: string) => PlaySession>> = {
    '/api/choose': (body) => session.choose(indexOf(body)),
    '/api/undo': () => session.undo(),
    '/api/reset': () => session.reset(),
  };
  const answer = async (request: IncomingMessage, response: ServerResponse, port: number): Promise<void> => {
    if (request.headers.host !== `127.0.0.1:${port}` && request.headers.host !== `localhost:${port}`) return sendJson(response, 403, { error: 'wrong host' });
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    if (request.method === 'GET' && path === '/') return send(response, 200, 'text/html', page);
    if (request.method === 'GET' && path === '/api/state') return sendJson(response, 200, playView(session));
    if (!Object.hasOwn(moves, path)) return sendJson(response, 404, { error: `no ${path}` });
    if (request.method !== 'POST') return sendJson(response, 405, { error: `${path} takes POST` });
    if (!request.headers['content-type']?.startsWith('application/json')) return sendJson(response, 415, { error: 'moves are JSON' });
    session = moves[path](await readBody(request));
    sendJson(response, 200, playView(session));
  };
  const server = createServer((request, response) => {
    answer(request, response, (server.address() as AddressInfo).port).catch((error: unknown) => {
      const known = error instanceof UsageError;
      sendJson(response, known ? 400 : 500, { error: `${known ? '' : 'internal error: '}${(error as Error).message}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new UsageError(`--port ${options.port ?? 0}: cannot listen (${error.code ?? error.message})`)));
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
