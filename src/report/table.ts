/** A plain text table: a header row, a rule, and left-aligned columns sized to their widest cell. */

/**
 * Renders `rows` under `header`.
 * @example renderTable(['a', 'b'], [['1', '22']]) // ['a  b', '─  ──', '1  22']
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
}
