import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';

// `npm run docs` must build the API reference with zero warnings (typedoc.json treats warnings as errors);
// `--emit none` validates without writing docs/api.
it('the API reference builds with no warnings', () => {
  const typedoc = spawnSync('npx', ['typedoc', '--emit', 'none'], { encoding: 'utf8' });
  expect(typedoc.stdout + typedoc.stderr).not.toMatch(/\[warning\]|\[error\]/);
  expect(typedoc.status).toBe(0);
});
