/** A plain-text table: one header row, columns padded to their widest cell, numbers right-aligned. */
export function formatTable(rows: ReadonlyArray<Record<string, string | number | null>>): string {
  if (!rows.length) return '(no rows)';
  const headers = Object.keys(rows[0]!);
  const cell = (v: string | number | null | undefined) => (v === null || v === undefined ? '–' : String(v));
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => cell(r[h]).length)));
  const line = (values: Array<string | number | null | undefined>) =>
    values.map((v, i) => (typeof v === 'number' ? cell(v).padStart(widths[i]!) : cell(v).padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(headers.map((h) => r[h])))].join('\n');
}
