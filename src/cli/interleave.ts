/** Entry point of the `interleave` command (`npm start` runs `check --all` through it). */
import { main } from './main.ts';

process.exitCode = main(process.argv.slice(2));
