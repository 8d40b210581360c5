/**
 * Words for what the student sees on the play page: a pending command, a node's name, and each choice the
 * scheduler has (`s1` is "B: GET stock", `p1:5001` is "pause B for 5001 ms, until t=5001").
 */
import type { Action } from '../sim/actions.ts';
import type { Simulation } from '../sim/simulation.ts';
import type { Command } from '../../models/protocol.ts';
import { serverName } from '../report/timeline.ts';

/**
 * A command as a person reads it.
 * @example commandWords(['SET', 'lock', 'B-1', 'NX', 'EX', 5]) // 'SET lock B-1 NX EX 5'
 */
export function commandWords(command: Command): string {
  if (command[0] === 'NOW') return 'read its clock';
  if (command[0] === 'SLEEP') return `sleep ${String(command[1])} ms by its clock`;
  return command.join(' ');
}

/** A clock's node: a process (by index), or past them a Redis server. */
function nodeName(simulation: Simulation, node: number): string {
  const count = simulation.processes.length;
  return node < count ? simulation.processes[node].name : serverName(node - count);
}

const signed = (n: number) => `${n > 0 ? '+' : ''}${n}`;

/**
 * What taking `action` in `simulation`'s current state does, in words.
 * @example choiceWords(simulation, { kind: 'pause', proc: 1, ms: 5001 }) // 'pause B for 5001 ms (until t=5001)'
 */
export function choiceWords(simulation: Simulation, action: Action): string {
  const name = (proc: number) => simulation.processes[proc].name;
  const pending = (proc: number, before: string) => {
    const command = simulation.processes[proc].local.command;
    return command === null ? '' : `${before} ${commandWords(command)}`;
  };
  switch (action.kind) {
    case 'step': return `${name(action.proc)}${pending(action.proc, ':')}`;
    case 'arrive': return `${name(action.proc)} arrives${pending(action.proc, ' and runs')}`;
    case 'restart': return `restart ${name(action.proc)} (a new process)`;
    case 'deliver': return `the broker delivers to ${name(action.proc)}`;
    case 'wait':
    case 'tick': {
      const next = simulation.branch();
      next.apply(action);
      return `time passes to t=${next.now}`;
    }
    case 'pause': return `pause ${name(action.proc)} for ${action.ms} ms (until t=${simulation.now + action.ms})`;
    case 'crash': return `crash ${name(action.proc)}`;
    case 'lose': return `${name(action.proc)}${pending(action.proc, ':')}, and the message is lost`;
    case 'lose-confirm': return `${name(action.proc)}${pending(action.proc, ':')}, and the confirm is lost`;
    case 'close': return `the broker closes ${name(action.proc)}'s channel`;
    case 'jump': return `${nodeName(simulation, action.node)}'s clock jumps ${signed(action.by)} ms`;
    case 'clock': return `${nodeName(simulation, action.node)}'s clock: offset ${signed(action.offset)} ms, drift ${signed(action.driftPpm)} ppm`;
  }
}
