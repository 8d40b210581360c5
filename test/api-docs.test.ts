import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import ts from 'typescript';

// `npm run docs` must build the API reference with zero warnings (typedoc.json treats warnings as errors);
// `--emit none` validates without writing docs/api.
it('the API reference builds with no warnings', () => {
  const typedoc = spawnSync('npx', ['typedoc', '--emit', 'none'], { encoding: 'utf8' });
  expect(typedoc.stdout + typedoc.stderr).not.toMatch(/\[warning\]|\[error\]/);
  expect(typedoc.status).toBe(0);
});

// Every function, class and constant the package exports shows its use in an `@example` (types are documented,
// which typedoc checks above, and shown in the examples of the functions that take them).
it('every exported value has an @example', () => {
  const entries = ['src/index.ts', 'src/vitest.ts'].map((f) => resolve(f));
  const program = ts.createProgram(entries, { allowImportingTsExtensions: true, noEmit: true, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler });
  const checker = program.getTypeChecker();
  const missing = entries.flatMap((entry) => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    return checker.getExportsOfModule(module).filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declaration = target.declarations?.[0];
      if (!declaration || ts.isInterfaceDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration)) return false;
      const documented = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
      return !ts.getJSDocTags(documented).some((tag) => tag.tagName.text === 'example');
    }).map((symbol) => symbol.name);
  });
  expect(missing).toEqual([]);
});
