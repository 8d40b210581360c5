// The entry of a run's child process (--isolation process). A forked Node process does not inherit the loader
// hooks of its parent, so it registers tsx itself (as bin/interleave.js does) before loading the TypeScript
// sources; then it serves its parent (child-main.ts). A failure to start is reported, so the parent never waits
// for nothing.
import { register } from 'tsx/esm/api';

try {
  register();
  await import('./child-main.ts');
} catch (error) {
  process.send?.({ kind: 'failed', activity: 'busy', error: { name: 'Error', message: `a child process failed to start: ${error?.message ?? error}` } });
  process.exitCode = 1;
  process.disconnect?.();
}
