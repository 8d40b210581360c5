// The deterministic core may read no ambient time or randomness: only the injected PRNG and virtual clocks.
// This test scans its source for the APIs that would break that (DESIGN.md, "Rules that keep it deterministic").
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Folders whose non-test `.ts` files must stay deterministic. */
const DETERMINISTIC_DIRS = ['models', 'properties', 'src/sim', 'src/world', 'src/check'];

/** Globals that are forbidden wherever they are named (called, passed or aliased). */
const FORBIDDEN_GLOBALS = new Set(['setTimeout', 'setInterval', 'setImmediate']);

/** Forbidden members of global objects: `Math.random`, `Date.now`, `performance.now`, `process.hrtime`. */
const FORBIDDEN_MEMBERS: Readonly<Record<string, string>> = { Math: 'random', Date: 'now', performance: 'now', process: 'hrtime' };

/** One use of a forbidden API. */
interface Finding {
  readonly file: string;
  readonly line: number;
  readonly api: string;
  readonly text: string;
}

/**
 * Finds forbidden APIs in `source` by walking its syntax tree, so that a comment or a string that mentions one
 * (\`never from Math.random\`) is not a use, while any real use — called, passed, aliased — is.
 */
export function scanSource(file: string, source: string): Finding[] {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lines = source.split('\n');
  const findings: Finding[] = [];
  const report = (node: ts.Node, api: string) => {
    const line = tree.getLineAndCharacterOfPosition(node.getStart(tree)).line + 1;
    findings.push({ file, line, api, text: lines[line - 1].trim() });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)
      && FORBIDDEN_MEMBERS[node.expression.text] === node.name.text) {
      report(node, `${node.expression.text}.${node.name.text}`);
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date') {
      report(node, 'new Date(');
    } else if (ts.isIdentifier(node) && FORBIDDEN_GLOBALS.has(node.text)) {
      report(node, node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return findings;
}

/** Every non-test `.ts` file under `dir`, sorted so the report is stable. */
function sourceFiles(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !/\.(test|spec)\.ts$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function format(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.file}:${f.line}: ${f.api} — ${f.text}`).join('\n');
}

describe('determinism', () => {
  it('the deterministic core uses no ambient time or randomness', () => {
    const files = DETERMINISTIC_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)));
    expect(files.length).toBeGreaterThan(10); // the scan really saw the code
    const findings = files.flatMap((file) => scanSource(relative(ROOT, file), readFileSync(file, 'utf8')));
    expect(format(findings), 'forbidden APIs in the deterministic core (use the injected PRNG and clocks)').toBe('');
  });

  it('the scan catches each forbidden API, with file and line', () => {
    const sample = [
      'const seed = 1;',
      'const t = Date.now();',
      'const r = Math.random();',
      'const d = new Date(0);',
      'setTimeout(() => {}, 1); setInterval(f, 1); setImmediate(f);',
      'const p = performance.now() + process.hrtime.bigint();',
    ].join('\n');
    expect(format(scanSource('models/sample.ts', sample))).toBe([
      'models/sample.ts:2: Date.now — const t = Date.now();',
      'models/sample.ts:3: Math.random — const r = Math.random();',
      'models/sample.ts:4: new Date( — const d = new Date(0);',
      'models/sample.ts:5: setTimeout — setTimeout(() => {}, 1); setInterval(f, 1); setImmediate(f);',
      'models/sample.ts:5: setInterval — setTimeout(() => {}, 1); setInterval(f, 1); setImmediate(f);',
      'models/sample.ts:5: setImmediate — setTimeout(() => {}, 1); setInterval(f, 1); setImmediate(f);',
      'models/sample.ts:6: performance.now — const p = performance.now() + process.hrtime.bigint();',
      'models/sample.ts:6: process.hrtime — const p = performance.now() + process.hrtime.bigint();',
    ].join('\n'));
  });

  it('the scan ignores comments, strings and look-alikes', () => {
    const sample = [
      '/** Randomness comes from the seed, never from `Math.random` or Date.now(). */',
      "// setTimeout is not allowed here",
      "const message = 'use the virtual clock, not performance.now()';",
      'const updatedAt = myDate.now; const r = rng.random(); const d = new Dated(); const h = proc.hrtime;',
    ].join('\n');
    expect(scanSource('x.ts', sample)).toEqual([]);
  });

  it('the scan catches aliased and indirect uses', () => {
    const sample = 'const later = setTimeout;\nconst rand = Math.random;\nconst t = globalThis.setImmediate;';
    expect(scanSource('x.ts', sample).map((f) => `${f.line}: ${f.api}`)).toEqual(['1: setTimeout', '2: Math.random', '3: setImmediate']);
  });
});
