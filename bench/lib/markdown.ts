/** Markdown helpers for the benchmark report. */

export function table(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const rule = header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Seconds with a precision that suits the size: 0.412, 3.61, 112. */
export function seconds(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return 'n/a';
  const s = ms / 1000;
  return s < 1 ? s.toFixed(3) : s < 100 ? s.toFixed(2) : s.toFixed(0);
}

export function megabytes(mb: number | undefined): string {
  return mb === undefined || !Number.isFinite(mb) ? 'n/a' : mb.toFixed(0);
}

export function ratio(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a';
}

export function percent(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
}

export function code(text: string): string {
  return `\`${text}\``;
}
