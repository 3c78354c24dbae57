/**
 * The shape of a session credential: `mst_` and 43 characters of base64url (32 random bytes). The
 * prefix lets a leaked token be recognised (a secret scanner, a grep of logs); the server and the
 * CLI use the shape to tell a session's token from the server's own.
 */
export const SESSION_TOKEN_PREFIX = 'mst_';
export const SESSION_TOKEN_PATTERN = /^mst_[A-Za-z0-9_-]{43}$/;

export function isSessionToken(value: unknown): value is string {
  return typeof value === 'string' && SESSION_TOKEN_PATTERN.test(value);
}
