/**
 * The commands shown in the documentation, as data: finds every fenced block with the info string `console` in
 * README.md and docs/**\/*.md, runs its command in-process and compares (or rewrites) the output shown under it.
 *
 * The convention for a checked block:
 *
 *     ```console
 *     $ interleave check inventory --variant naive-lock
 *     …the exact output, stdout and stderr as they interleave…
 *     ```
 *
 * The first line is `$ interleave ARGS…` (the arguments are split on spaces; no quotes, pipes or redirections)
 * or `$ npm start`, whose arguments are read from package.json's `start` script and whose output begins with
 * npm's own banner, just as a terminal shows it. A `console` block holds exactly one command. A command that is
 * shown without its output (set-up steps such as `npm ci && npm start`) goes in a plain `sh` block: every
 * `console` block is checked, so output shown in one can never silently go stale.
 *
 * Used by test/docs.test.ts (compare) and scripts/refresh-docs.ts (rewrite after an intentional change).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.ts';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** One `console` block of a Markdown file. */
export interface ConsoleBlock {
  /** The file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The command as written after `$ `. */
  readonly command: string;
  /** The expected output: the block's lines after the command. */
  readonly expected: readonly string[];
  /** 0-based index of the block's first output line in the file's lines (the line after the command). */
  readonly outputStart: number;
  /** 0-based index of the closing fence in the file's lines. */
  readonly outputEnd: number;
  /** The indentation of the fence, stripped from every line of the block. */
  readonly indent: string;
}

/** A command the docs test knows how to run: `interleave` arguments, plus npm's banner for `npm start`. */
export interface RunnableCommand {
  readonly argv: readonly string[];
  readonly banner: readonly string[];
}

/** README.md and every Markdown file under docs/, except the generated API reference (docs/api). */
export function docFiles(root: string = ROOT): string[] {
  const found: string[] = [join(root, 'README.md')];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of [...entries].sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && relative(root, path) !== join('docs', 'api')) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.md')) found.push(path);
    }
  };
  walk(join(root, 'docs'));
  return found;
}

/** The `console` blocks of one Markdown text. Throws on an unclosed fence or a block that breaks the convention. */
export function consoleBlocks(file: string, text: string): ConsoleBlock[] {
  const lines = text.split('\n');
  const blocks: ConsoleBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const close = lines.findIndex((l, j) => j > i && l.startsWith(indent) && new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(l));
    if (close < 0) throw new Error(`${file}:${i + 1}: unclosed code fence`);
    if (info === 'console') {
      const body = lines.slice(i + 1, close).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      const where = `${file}:${i + 1}`;
      if (body.length === 0 || !body[0].startsWith('$ ')) throw new Error(`${where}: a console block must start with "$ COMMAND"`);
      const extra = body.findIndex((l, j) => j > 0 && l.startsWith('$ '));
      if (extra > 0) throw new Error(`${where}: one command per console block (another "$" at line ${i + 2 + extra})`);
      blocks.push({ file, line: i + 1, command: body[0].slice(2).trim(), expected: body.slice(1), outputStart: i + 2, outputEnd: close, indent });
    }
    i = close;
  }
  return blocks;
}

/**
 * What a block's command runs, or an explanation of why it cannot be checked. `$ npm start` runs the arguments
 * of package.json's `start` script (which must be `tsx src/cli/interleave.ts ARGS`), after npm's banner.
 */
export function runnable(command: string, root: string = ROOT): RunnableCommand | string {
  if (/['"`|&;<>$\\]/.test(command)) return `"${command}" uses shell syntax; a console block holds one plain command`;
  const words = command.split(/\s+/);
  if (words[0] === 'interleave') return { argv: words.slice(1), banner: [] };
  if (command === 'npm start') {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string; scripts: Record<string, string> };
    const script = pkg.scripts.start;
    const args = /^tsx src\/cli\/interleave\.ts(?: (.*))?$/.exec(script);
    if (!args) return `package.json's start script "${script}" is not "tsx src/cli/interleave.ts ARGS"`;
    return { argv: args[1] ? args[1].split(/\s+/) : [], banner: ['', `> ${pkg.name}@${pkg.version} start`, `> ${script}`, ''] };
  }
  return `"${command}" is not "interleave …" or "npm start": show it in an sh block instead, or show no output`;
}

/**
 * Runs `interleave ARGV` in-process through `main`, with standard error captured into the same lines (in
 * order) and treated as a pipe, so that no progress bar is drawn even when run from a terminal.
 */
export function runInterleave(argv: readonly string[]): { code: number; lines: string[] } {
  const lines: string[] = [];
  const stderr = process.stderr;
  const write = stderr.write;
  const ownIsTTY = Object.getOwnPropertyDescriptor(stderr, 'isTTY');
  Object.defineProperty(stderr, 'isTTY', { value: false, configurable: true, writable: true });
  stderr.write = ((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).replace(/\n$/, '').split('\n'));
    return true;
  }) as typeof stderr.write;
  try {
    const code = main(argv, (line) => lines.push(...line.split('\n')));
    // The blocks are run synchronously; a command that must wait (grade imports a file) goes in an sh block.
    if (typeof code !== 'number') throw new Error(`interleave ${argv.join(' ')} must wait, so it cannot be a console block`);
    return { code, lines };
  } finally {
    stderr.write = write;
    if (ownIsTTY) Object.defineProperty(stderr, 'isTTY', ownIsTTY);
    else delete (stderr as { isTTY?: boolean }).isTTY;
  }
}

const memo = new Map<string, { code: number; lines: string[] }>();

/**
 * What a command shows — npm's banner (for `npm start`), then everything `interleave` printed — and its exit
 * code. Memoised: the commands are deterministic and several blocks show the same one.
 */
export function runBlockCommand(command: RunnableCommand): { code: number; lines: string[] } {
  const key = JSON.stringify(command);
  if (!memo.has(key)) {
    const { code, lines } = runInterleave(command.argv);
    memo.set(key, { code, lines: [...command.banner, ...lines] });
  }
  return memo.get(key)!;
}

/** The output lines a command shows (see `runBlockCommand`). */
export function actualOutput(command: RunnableCommand): string[] {
  return runBlockCommand(command).lines;
}

/** The replay token an output prints (`replay:   interleave replay il1.…`), if any. */
export function printedToken(lines: readonly string[]): string | null {
  for (const line of lines) {
    const match = /interleave replay (il1\.\S+)/.exec(line);
    if (match) return match[1];
  }
  return null;
}

/** `interleave replay TOKEN`'s token, or `null` for any other command. */
export function replayedToken(command: string): string | null {
  return /^interleave replay (\S+)$/.exec(command)?.[1] ?? null;
}

/**
 * The token a replay block should replay: the one printed by the nearest console block above it in the same
 * file, so that "replay the token above" stays true when the counterexample above changes. `null` when no block
 * above prints one (the replay block then stands on its own).
 */
export function tokenFromAbove(blocks: readonly ConsoleBlock[], index: number): string | null {
  for (let j = index - 1; j >= 0; j--) {
    if (blocks[j].file !== blocks[index].file) break;
    const token = printedToken(blocks[j].expected);
    if (token) return token;
  }
  return null;
}

/**
 * Masks the parts of an output that legitimately differ between two runs, so both sides of a comparison can be
 * masked alike. There is one: the `time` column of the `check --all` table, the wall-clock milliseconds each
 * variant took. Every cell from the header's `time` offset on, up to the blank line ending the table, is
 * replaced by `‹time›` (the rule under it too, whose width follows the widest time). The columns before it
 * start at fixed offsets, and everything else the command prints (counterexamples, schedule counts, tokens)
 * is deterministic, so the comparison is otherwise exact. (`--json` also carries timings; its
 * `elapsedMs`/`schedulesPerSecond` numbers are masked the same way.)
 */
export function maskVarying(lines: readonly string[]): string[] {
  const masked: string[] = [];
  let timeColumn = -1;
  for (const line of lines) {
    if (/^scenario\s.*\s{2}time(\s|$)/.test(line)) {
      timeColumn = line.indexOf('  time') + 2;
      masked.push(line);
    } else if (timeColumn >= 0 && line !== '') {
      const rest = line.slice(timeColumn).replace(/^(\d+ ms|─+) */, '‹time›  ');
      masked.push(`${line.slice(0, timeColumn)}${rest}`.trimEnd());
    } else {
      timeColumn = -1;
      masked.push(line.replace(/^(\s*"(?:elapsedMs|schedulesPerSecond)": )\d+/, '$1‹n›'));
    }
  }
  return masked;
}

/** Every console block of the documentation. */
export function allBlocks(root: string = ROOT): ConsoleBlock[] {
  return docFiles(root).flatMap((path) => consoleBlocks(relative(root, path), readFileSync(path, 'utf8')));
}

/**
 * Rewrites the output of every console block from a fresh run, for an intentional change of output. A block
 * whose output differs only in the masked time column is left as it is, so a refresh does not churn timings. A
 * replay block is first pointed at the token printed by the block above it (`tokenFromAbove`). A command that
 * fails with exit code 2 is an error, not output to record, unless the block already shows an `interleave:`
 * error on purpose. Returns the blocks it rewrote, as `file:line`.
 */
export function refreshDocs(root: string = ROOT): string[] {
  const rewritten: string[] = [];
  for (const path of docFiles(root)) {
    const file = relative(root, path);
    const lines = readFileSync(path, 'utf8').split('\n');
    const blocks = consoleBlocks(file, lines.join('\n'));
    const edits: { block: ConsoleBlock; command: string; output: string[] }[] = [];
    let lastToken: string | null = null;
    for (const block of blocks) {
      let text = block.command;
      if (replayedToken(text) !== null && lastToken !== null) text = `interleave replay ${lastToken}`;
      const command = runnable(text, root);
      if (typeof command === 'string') throw new Error(`${file}:${block.line}: ${command}`);
      const { code, lines: actual } = runBlockCommand(command);
      if (code === 2 && !block.expected.some((l) => l.startsWith('interleave: '))) {
        throw new Error(`${file}:${block.line}: "${text}" failed: ${actual.join(' ')}`);
      }
      const same = text === block.command && JSON.stringify(maskVarying(actual)) === JSON.stringify(maskVarying(block.expected));
      edits.push({ block, command: text, output: same ? [...block.expected] : actual });
      if (!same) rewritten.push(`${file}:${block.line}`);
      lastToken = printedToken(same ? block.expected : actual) ?? lastToken;
    }
    // Splice the later blocks first, so that the line numbers of the earlier ones stay valid.
    for (const { block, command, output } of edits.reverse()) {
      const indent = (l: string) => (l === '' ? l : `${block.indent}${l}`);
      lines.splice(block.outputStart - 1, block.outputEnd - block.outputStart + 1, ...[`$ ${command}`, ...output].map(indent));
    }
    if (rewritten.some((r) => r.startsWith(`${file}:`))) writeFileSync(path, lines.join('\n'));
  }
  return rewritten;
}
