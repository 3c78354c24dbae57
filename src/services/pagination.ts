import { createHash } from 'node:crypto';
import { invalidArgument } from './errors.js';

/**
 * Keyset (cursor) pagination. A page token is opaque to clients: base64url of a small JSON object
 * holding its version, the sort key and id of the last row the page held, and a hash of the query
 * (filters and sort) it belongs to. The next page starts strictly after that key, so rows created or
 * changed while a client pages are never skipped or repeated unless their sort key itself moves.
 * A token from another query, a newer or older format, or bytes that are not a token at all is
 * refused with invalid_argument (field `pageToken`).
 */
const TOKEN_VERSION = 1;

interface TokenBody {
  v: number;
  /** The sort key of the last row of the page, ending with its id. */
  k: number[];
  /** The query's hash. */
  q: string;
}

/** A short, stable hash of the query a token belongs to. */
export function queryHash(query: unknown): string {
  return createHash('sha256').update(JSON.stringify(query)).digest('base64url').slice(0, 16);
}

export function encodePageToken(key: readonly number[], query: string): string {
  const body: TokenBody = { v: TOKEN_VERSION, k: [...key], q: query };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** The key a token carries, after checking it belongs to this query and has `keyLength` parts. */
export function decodePageToken(token: string, query: string, keyLength: number): number[] {
  let body: Partial<TokenBody> | undefined;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenBody>;
  } catch {
    body = undefined;
  }
  const valid =
    body !== undefined &&
    body !== null &&
    body.v === TOKEN_VERSION &&
    Array.isArray(body.k) &&
    body.k.length === keyLength &&
    body.k.every((n) => Number.isSafeInteger(n));
  if (!valid) {
    throw invalidArgument(
      'pageToken',
      'The page token is not one this server gave out; start again without a token.',
    );
  }
  if (body!.q !== query) {
    throw invalidArgument(
      'pageToken',
      'The page token belongs to another query: keep the filters and sort of the call that returned it.',
    );
  }
  return body!.k!;
}

/** A page size: `requested` within 1..max, or `fallback` when unset. */
export function pageSizeOf(requested: number | undefined, fallback: number, max: number): number {
  if (requested === undefined || requested <= 0) return fallback;
  return Math.min(requested, max);
}
