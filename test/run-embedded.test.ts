// `interleave run` on the embedded backend (ioredis-mock and the in-process broker): no servers needed.
import { acceptance } from './run-acceptance.ts';

acceptance('embedded', {});
