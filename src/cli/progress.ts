/**
 * A one-line progress indicator for long checks: shown on standard error only when it is a terminal, so pipes,
 * CI logs and `--json` stay clean.
 */

/** A progress sink: `update(done)` while working, `clear()` when finished. */
export interface Progress {
  update(done: number): void;
  clear(): void;
}

/**
 * Progress toward `total` schedules labelled `label` — or, with `total` null, a count of `unit` (an exhaustive
 * search does not know its end); silent when stderr is not a TTY.
 */
export function progressLine(label: string, total: number | null, unit = 'states', stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => {}, clear: () => {} };
  const width = 24;
  return {
    update(done) {
      if (total === null) {
        stream.write(`\r${label}: ${done} ${unit}`);
        return;
      }
      const filled = Math.round((width * Math.min(done, total)) / total);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    },
    clear() {
      stream.write('\r\x1b[K');
    },
  };
}
