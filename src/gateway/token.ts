import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/config.js';

/** A token shorter than this is never accepted: 32 characters of base64url or hex is >= 128 bits. */
export const MIN_TOKEN_LENGTH = 32;
const TOKEN_SHAPE = /^[\x21-\x7e]+$/;

export function tokenPath(home: string): string {
  return join(home, 'token');
}

/**
 * Whether `token` may guard the server: long enough and printable, without spaces (it travels in
 * an HTTP header and a cookie). Every check of a presented token refuses when the expected one is
 * not strong, so no configuration can run with authentication off.
 */
export function isStrongToken(token: string | undefined): boolean {
  return typeof token === 'string' && token.length >= MIN_TOKEN_LENGTH && TOKEN_SHAPE.test(token);
}

/**
 * The token the server requires: `MAESTRO_TOKEN` when set (refused when weak: the operator chose
 * it, so the server must not silently pick another), else the token file.
 */
export function serverToken(configured: string, home: string, warn: (message: string) => void): string {
  if (configured === '') return readOrCreateToken(home, warn);
  if (!isStrongToken(configured)) {
    throw new ConfigError(
      'MAESTRO_TOKEN',
      `MAESTRO_TOKEN must be at least ${MIN_TOKEN_LENGTH} printable characters without spaces (it has ${configured.trim() === '' ? 'only whitespace' : `${configured.length}`}); make one with 'openssl rand -hex 32', or unset it to use $MAESTRO_HOME/token.`,
    );
  }
  return configured;
}

/**
 * Reads the server token from the home folder, generating it (mode 0600) on first start. A file
 * that holds no usable token (empty, whitespace, too short) is replaced by a new token, with a
 * warning: there is nothing in it worth keeping. A file that group or others may read is refused:
 * the token may have leaked, and only the operator can tell whether to keep it.
 */
export function readOrCreateToken(home: string, warn: (message: string) => void = () => undefined): string {
  const path = tokenPath(home);
  if (existsSync(path)) {
    const token = readFileSync(path, 'utf8').trim();
    if (!isStrongToken(token)) {
      warn(
        `${path} held no usable token (${token.length} characters, at least ${MIN_TOKEN_LENGTH} printable ones needed): a new token was generated in its place; clients must use the new one.`,
      );
      return writeToken(home);
    }
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) {
      throw new ConfigError(
        'token file',
        `${path} may be read by other users (mode 0${mode.toString(8)}), so the token may have leaked. If only you could read it, run 'chmod 600 ${path}'; otherwise delete it and a new token is made at the next start.`,
      );
    }
    return token;
  }
  return writeToken(home);
}

/** Writes a new token atomically (a temporary file renamed over the old one), mode 0600. */
function writeToken(home: string): string {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  const temp = `${tokenPath(home)}.${process.pid}.tmp`;
  writeFileSync(temp, token + '\n', { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, tokenPath(home));
  return token;
}
