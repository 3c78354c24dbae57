import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** At most this many paths come out of one pattern, so a `**` over a huge tree stays bounded. */
export const GLOB_MATCH_LIMIT = 10_000;

/**
 * The paths under `base` (relative, with '/') that `pattern` matches. `*` and `?` match within one
 * segment (not a leading '.' unless the pattern segment starts with '.'), `**` matches any number
 * of folders. Literal segments are looked up directly, so `node_modules` never lists a folder;
 * `**` does not descend into `.git`, `node_modules` or symlinked folders.
 */
export async function expandGlob(base: string, pattern: string, limit = GLOB_MATCH_LIMIT): Promise<string[]> {
  const segments = pattern.split('/');
  const found = new Set<string>();
  await walk(base, '', segments, found, limit);
  return [...found].sort();
}

export function isGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

async function walk(base: string, rel: string, segments: string[], found: Set<string>, limit: number) {
  if (found.size >= limit) return;
  const [segment, ...rest] = segments;
  if (segment === undefined) {
    if (rel !== '') found.add(rel);
    return;
  }
  const dir = join(base, rel);
  if (segment === '**') {
    await walk(base, rel, rest, found, limit);
    for (const name of await listDirs(dir)) {
      if (name === '.git' || name === 'node_modules') continue;
      await walk(base, join2(rel, name), segments, found, limit);
    }
    return;
  }
  if (!isGlob(segment)) {
    const next = join2(rel, segment);
    if (rest.length === 0) {
      if (await exists(join(base, next))) found.add(next);
      return;
    }
    return walk(base, next, rest, found, limit);
  }
  const matcher = segmentMatcher(segment);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names.sort()) {
    if (name === '.git' || !matcher(name)) continue;
    await walk(base, join2(rel, name), rest, found, limit);
  }
}

const join2 = (rel: string, name: string) => (rel === '' ? name : `${rel}/${name}`);

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Real folders (not symlinks) in `dir`. */
async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** A matcher for one glob segment: `*`, `?` and `[…]` classes; other characters are literal. */
export function segmentMatcher(segment: string): (name: string) => boolean {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) source += '\\[';
      else {
        const body = segment
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        i = close;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`);
  const dotAllowed = segment.startsWith('.');
  return (name) => (dotAllowed || !name.startsWith('.')) && regex.test(name);
}
