import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandGlob, segmentMatcher } from './glob.js';

const root = mkdtempSync(join(os.tmpdir(), 'maestro-glob-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
for (const path of [
  '.env',
  '.env.local',
  'config/a.local.json',
  'config/b.json',
  'config/nested/c.local.json',
  'packages/api/node_modules/x/index.js',
  'packages/web/node_modules/y/index.js',
  'packages/web/src/z.ts',
  'node_modules/deep/d.local.json',
]) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), path);
}
symlinkSync(join(root, 'config'), join(root, 'linked-config'));

describe('glob', () => {
  it.each([
    ['.env', ['.env']],
    ['missing', []],
    ['.env*', ['.env', '.env.local']],
    ['config/*.local.json', ['config/a.local.json']],
    ['config/**/*.local.json', ['config/a.local.json', 'config/nested/c.local.json']],
    ['**/*.local.json', ['config/a.local.json', 'config/nested/c.local.json']],
    ['packages/*/node_modules', ['packages/api/node_modules', 'packages/web/node_modules']],
    ['config/[ab].json', ['config/b.json']],
    ['config/?.json', ['config/b.json']],
    ['*', ['config', 'linked-config', 'node_modules', 'packages']],
  ])('%s matches %j', async (pattern, expected) => {
    expect(await expandGlob(root, pattern)).toEqual(expected);
  });

  it('stops at its limit', async () => {
    expect(await expandGlob(root, '**/*', 3)).toHaveLength(3);
  });

  it('keeps dotfiles out of * unless the pattern starts with a dot', () => {
    expect(segmentMatcher('*')('.env')).toBe(false);
    expect(segmentMatcher('.*')('.env')).toBe(true);
    expect(segmentMatcher('a+b(c)')('a+b(c)')).toBe(true);
  });
});
