import type { ErrorBody } from '../src/contract/error-codes.js';

/** The `--json` envelope: exactly one document on stdout; `extra` adds fields after `data`. */
export function successJson(data: unknown, extra?: Record<string, unknown>): string {
  return JSON.stringify(extra ? { ok: true, data, ...extra } : { ok: true, data });
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
/**
 * Colours are written as private-use markers, not escape sequences: `printable` escapes every
 * control character that came with the data (a task title can hold a terminal escape), then turns
 * the markers into the colours. So only Maestro's own colours ever reach the terminal.
 */
const OPEN = '\u{F8F0}';
const CLOSE = '\u{F8F1}';
const MARKER = /\u{F8F0}(\d{1,2})\u{F8F1}/gu;

export function paint(color: keyof typeof CODES, text: string): string {
  return colorOn ? `${OPEN}${CODES[color]}${CLOSE}${text}${OPEN}0${CLOSE}` : text;
}

/**
 * Text fit for a terminal: control characters other than newline and tab (ESC, BEL, CR, C1 codes,
 * DEL) are shown escaped (`\x1b`), then the colour markers become colours.
 */
export function printable(text: string): string {
  const escaped = text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return escaped.replace(MARKER, (_, code: string) => `\u001b[${code}m`);
}

/** The width a cell takes on screen (colour markers take none). */
const visibleLength = (text: string) => text.replace(MARKER, '').length;

/** Aligned columns; the last column is never padded. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => visibleLength(r[i] ?? ''))));
  return all
    .map((r, ri) => {
      const line = r
        .map((cell, i) =>
          i === r.length - 1 ? cell : cell + ' '.repeat(Math.max(0, widths[i]! - visibleLength(cell))),
        )
        .join('  ');
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
