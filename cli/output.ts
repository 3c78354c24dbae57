import type { ErrorBody } from '../src/contract/error-codes.js';

/** The `--json` envelope: exactly one document on stdout. */
export function successJson(data: unknown): string {
  return JSON.stringify({ ok: true, data });
}

export function failureJson(error: ErrorBody): string {
  return JSON.stringify({ ok: false, error });
}

export function useColor(
  stream: NodeJS.WriteStream,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;
let colorOn = false;
export function setColor(on: boolean): void {
  colorOn = on;
}
export function paint(color: keyof typeof CODES, text: string): string {
  return colorOn ? `\u001b[${CODES[color]}m${text}\u001b[0m` : text;
}

/** Aligned columns; the last column is never padded. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r, ri) => {
      const line = r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
      return ri === 0 ? paint('bold', line) : line;
    })
    .join('\n');
}

export function statusColor(status: string): string {
  const color =
    status === 'completed'
      ? 'green'
      : status === 'blocked' || status === 'failed' || status === 'lost'
        ? 'red'
        : status === 'in_progress' || status === 'running'
          ? 'yellow'
          : 'dim';
  return paint(color, status);
}
