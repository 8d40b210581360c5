/**
 * The child processes of a process, as Linux's /proc shows them (elsewhere none are seen), for tests that a run
 * in child processes (--isolation process) leaves none behind, running, stopped or a zombie.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** A process: its id and its state letter (`R` running, `S` sleeping, `T` stopped, `Z` zombie, …). */
export interface ProcessState {
  readonly pid: number;
  readonly state: string;
}

/**
 * The processes whose parent is `parent`.
 * @example childrenOf(process.pid) // [] once every run has ended
 */
export function childrenOf(parent: number): ProcessState[] {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // After the command name (in parentheses, perhaps with spaces): the state, then the parent's id.
      const [state, ppid] = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      return Number(ppid) === parent ? [{ pid: Number(name), state }] : [];
    } catch {
      return [];
    }
  });
}

/**
 * True when process `pid` no longer exists (exited and reaped).
 * @example await until(() => gone(pid))
 */
export function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
