/**
 * `interleave play SCENARIO [--variant V] [--port N]`: serves the play page on 127.0.0.1 and keeps serving
 * until Ctrl-C (SIGINT) or SIGTERM. It never opens a browser: it prints the URL to open.
 */
import { findScenario } from '../api/check.ts';
import { UsageError } from '../check/prepare.ts';
import { newGame } from '../play/game.ts';
import { servePlay } from '../play/server.ts';
import { intOption, PARAM_OPTIONS, type ParsedArgs } from './args.ts';

/** The options `play` takes: every other one is refused rather than silently ignored. */
const PLAY_OPTIONS = new Set(['variant', 'port', ...PARAM_OPTIONS]);

/** Serves the game; resolves to exit code 0 once stopped by a signal. */
export async function playCommand(args: ParsedArgs, out: (line: string) => void): Promise<number> {
  const [name, ...extra] = args.positionals;
  if (name === undefined) throw new UsageError('play needs a SCENARIO (see interleave list)');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const misplaced = Object.keys(args.values).find((option) => args.values[option] !== undefined && !PLAY_OPTIONS.has(option));
  if (misplaced !== undefined) throw new UsageError(`--${misplaced} is not an option of play`);
  const port = intOption(args, 'port') ?? 0;
  if (port < 0 || port > 65535) throw new UsageError(`--port must be from 0 to 65535, got ${port}`);
  const game = newGame(findScenario(name), {
    variant: args.values.variant as string | undefined,
    params: Object.fromEntries(PARAM_OPTIONS.map((param) => [param, intOption(args, param)])),
  });
  const server = await servePlay(game, { port });
  out(`interleave play: ${game.plan.scenario.name} / ${game.plan.variant.name} at ${server.url}`);
  out('open it in a browser and be the scheduler; Ctrl-C stops');
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
