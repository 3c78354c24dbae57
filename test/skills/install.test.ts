import {
  appendFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageSkillsDir } from '../../cli/skills.js';
import { ROOT, runCli } from '../support/cli.js';
import { tempHome } from '../support/server.js';
import { SKILLS_DIR } from '../support/skill-commands.js';

const NAMES = ['maestro-cli', 'maestro-orchestrator', 'maestro-worker'];
const homes: { cleanup(): void }[] = [];
afterEach(() => {
  for (const h of homes.splice(0)) h.cleanup();
});

interface Install {
  skillsDir: string;
  claudeSkillsDir: string;
  skills: { name: string; version: string; status: string; linkAction: string; link: string; path: string }[];
  files: { path: string; action: string }[];
  skipped: { path: string; reason: string }[];
  hooks: { path: string; action: string } | null;
}

/** A temporary HOME with nothing in it, as a fresh user account; no server is needed. */
function freshHome(extra: Record<string, string> = {}) {
  const h = tempHome('maestro-skills-');
  homes.push(h);
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: h.home,
    MAESTRO_HOME: join(h.home, '.maestro'),
    NO_COLOR: '1',
    ...extra,
  };
  const skillsDir = extra.MAESTRO_SKILLS_DIR ?? join(h.home, '.agents-ui', 'maestro-skills');
  const claude = join(h.home, '.claude');
  const run = async <T>(...args: string[]) => {
    const r = await runCli([...args, '--json'], env, h.home);
    if (r.code !== 0) throw new Error(`maestro ${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
    return r.json.data as T;
  };
  return { home: h.home, env, skillsDir, claude, run };
}

const shipped = (rel: string) => readFileSync(join(SKILLS_DIR, rel), 'utf8');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('maestro skill install', () => {
  it('copies the skills into the skills folder and links each into ~/.claude/skills; a second run changes nothing', async () => {
    const { run, skillsDir, claude } = freshHome();
    const first = await run<Install>('skill', 'install');
    expect(first.skillsDir).toBe(skillsDir);
    expect(first.skills.map((s) => [s.name, s.status, s.linkAction])).toEqual(
      NAMES.map((n) => [n, 'installed', 'linked']),
    );
    expect(first.skipped).toEqual([]);
    expect(first.hooks).toBeNull();
    for (const name of NAMES) {
      for (const file of ['SKILL.md', 'manifest.json'])
        expect(readFileSync(join(skillsDir, name, file), 'utf8')).toBe(shipped(`${name}/${file}`));
      const link = join(claude, 'skills', name);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readlinkSync(link)).toBe(join(skillsDir, name));
      // Claude Code reads the skill through the link.
      expect(readFileSync(join(link, 'SKILL.md'), 'utf8')).toBe(shipped(`${name}/SKILL.md`));
    }
    const record = JSON.parse(readFileSync(join(skillsDir, '.maestro-install.json'), 'utf8')) as {
      files: Record<string, string>;
      skills: Record<string, string>;
    };
    expect(record.files['maestro-worker/SKILL.md']).toBe(sha(shipped('maestro-worker/SKILL.md')));
    expect(Object.keys(record.skills).sort()).toEqual(NAMES);

    const again = await run<Install>('skill', 'install');
    expect(again.skills.map((s) => [s.status, s.linkAction])).toEqual(
      NAMES.map(() => ['unchanged', 'unchanged']),
    );
    expect(again.files.every((f) => f.action === 'unchanged')).toBe(true);
    expect(again.skipped).toEqual([]);
  });

  it('keeps a file the user changed (reported as skipped) until --force', async () => {
    const { run, skillsDir } = freshHome();
    await run('skill', 'install');
    const worker = join(skillsDir, 'maestro-worker', 'SKILL.md');
    appendFileSync(worker, '\n- Our team: always run `npm run lint` too.\n');
    const edited = readFileSync(worker, 'utf8');

    const kept = await run<Install>('skill', 'install');
    expect(kept.skipped).toEqual([{ path: worker, reason: 'changed since maestro installed it' }]);
    expect(kept.files).toContainEqual({ path: 'maestro-worker/SKILL.md', action: 'skipped' });
    expect(kept.skills.find((s) => s.name === 'maestro-worker')!.status).toBe('partial');
    expect(readFileSync(worker, 'utf8')).toBe(edited);
    // Still the user's edit on the next run: the record keeps the hash Maestro wrote.
    expect((await run<Install>('skill', 'install')).skipped).toHaveLength(1);

    const list = await run<{ name: string; modified: string[] }[]>('skill', 'list');
    expect(list.find((s) => s.name === 'maestro-worker')!.modified).toEqual(['maestro-worker/SKILL.md']);

    const forced = await run<Install>('skill', 'install', '--force');
    expect(forced.files).toContainEqual({ path: 'maestro-worker/SKILL.md', action: 'overwritten' });
    expect(forced.skipped).toEqual([]);
    expect(readFileSync(worker, 'utf8')).toBe(shipped('maestro-worker/SKILL.md'));
  });

  it('updates a file that still holds an older version Maestro installed', async () => {
    const { run, skillsDir } = freshHome();
    await run('skill', 'install');
    const cli = join(skillsDir, 'maestro-cli', 'SKILL.md');
    const older =
      '---\nname: maestro-cli\ndescription: An older release. Use when testing.\n---\n\nOld text.\n';
    writeFileSync(cli, older);
    const recordPath = join(skillsDir, '.maestro-install.json');
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as { files: Record<string, string> };
    record.files['maestro-cli/SKILL.md'] = sha(older); // what an older maestro would have recorded
    writeFileSync(recordPath, JSON.stringify(record));

    const result = await run<Install>('skill', 'install');
    expect(result.files).toContainEqual({ path: 'maestro-cli/SKILL.md', action: 'updated' });
    expect(result.skills.find((s) => s.name === 'maestro-cli')!.status).toBe('updated');
    expect(result.skipped).toEqual([]);
    expect(readFileSync(cli, 'utf8')).toBe(shipped('maestro-cli/SKILL.md'));
  });

  it('leaves files and folders it did not install alone unless --force', async () => {
    const { run, skillsDir, claude } = freshHome();
    mkdirSync(join(skillsDir, 'maestro-worker'), { recursive: true });
    writeFileSync(join(skillsDir, 'maestro-worker', 'SKILL.md'), 'my own worker skill\n');
    const ownDir = join(claude, 'skills', 'maestro-cli');
    mkdirSync(ownDir, { recursive: true });
    writeFileSync(join(ownDir, 'SKILL.md'), 'a hand-made copy\n');

    const result = await run<Install>('skill', 'install');
    expect(result.skipped).toEqual([
      { path: ownDir, reason: expect.stringContaining('something else is there') },
      {
        path: join(skillsDir, 'maestro-worker', 'SKILL.md'),
        reason: 'exists and was not installed by maestro',
      },
    ]);
    expect(readFileSync(join(skillsDir, 'maestro-worker', 'SKILL.md'), 'utf8')).toBe('my own worker skill\n');
    expect(lstatSync(ownDir).isDirectory()).toBe(true);

    const forced = await run<Install>('skill', 'install', '--force');
    expect(forced.skills.find((s) => s.name === 'maestro-cli')!.linkAction).toBe('replaced');
    expect(readlinkSync(ownDir)).toBe(join(skillsDir, 'maestro-cli'));
    expect(readFileSync(join(skillsDir, 'maestro-worker', 'SKILL.md'), 'utf8')).toBe(
      shipped('maestro-worker/SKILL.md'),
    );
  });

  it('--hooks adds a SessionStart hook running maestro prime, keeping every other setting and hook', async () => {
    const { run, claude } = freshHome();
    mkdirSync(claude, { recursive: true });
    const settingsPath = join(claude, 'settings.json');
    const existing = {
      model: 'opus',
      permissions: { allow: ['Bash(npm test:*)'] },
      hooks: {
        SessionStart: [{ matcher: 'startup', hooks: [{ type: 'command', command: 'echo welcome' }] }],
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'audit.sh' }] }],
      },
    };
    writeFileSync(settingsPath, JSON.stringify(existing, null, 2));

    const result = await run<Install>('skill', 'install', '--hooks');
    expect(result.hooks).toEqual({ path: settingsPath, action: 'added' });
    const merged = JSON.parse(readFileSync(settingsPath, 'utf8')) as typeof existing & {
      hooks: { SessionStart: { matcher?: string; hooks: { type: string; command: string }[] }[] };
    };
    expect(merged.model).toBe('opus');
    expect(merged.permissions).toEqual(existing.permissions);
    expect(merged.hooks.PreToolUse).toEqual(existing.hooks.PreToolUse);
    expect(merged.hooks.SessionStart[0]).toEqual(existing.hooks.SessionStart[0]);
    expect(merged.hooks.SessionStart).toHaveLength(2);
    expect(merged.hooks.SessionStart[1]!.hooks).toEqual([
      expect.objectContaining({ type: 'command', command: 'maestro prime' }),
    ]);

    const text = readFileSync(settingsPath, 'utf8');
    const again = await run<Install>('skill', 'install', '--hooks');
    expect(again.hooks).toEqual({ path: settingsPath, action: 'unchanged' });
    expect(readFileSync(settingsPath, 'utf8')).toBe(text);
  });

  it('--hooks creates ~/.claude/settings.json when there is none', async () => {
    const { run, claude } = freshHome();
    await run('skill', 'install', '--hooks');
    expect(JSON.parse(readFileSync(join(claude, 'settings.json'), 'utf8'))).toEqual({
      hooks: {
        SessionStart: [
          {
            matcher: 'startup|resume|clear|compact',
            hooks: [{ type: 'command', command: 'maestro prime', timeout: 30 }],
          },
        ],
      },
    });
  });

  it('--hooks refuses a settings.json that is not valid JSON, before changing anything', async () => {
    const { env, home, claude, skillsDir } = freshHome();
    mkdirSync(claude, { recursive: true });
    writeFileSync(join(claude, 'settings.json'), '{ "model": "opus", }');
    const result = await runCli(['skill', 'install', '--hooks', '--json'], env, home);
    expect(result.code).toBe(2);
    expect(result.json.error).toMatchObject({
      code: 'invalid_argument',
      details: { field: join(claude, 'settings.json') },
    });
    expect(readFileSync(join(claude, 'settings.json'), 'utf8')).toBe('{ "model": "opus", }');
    expect(existsSync(skillsDir)).toBe(false);
  });

  it('installs into MAESTRO_SKILLS_DIR when it is set', async () => {
    const h = tempHome('maestro-skills-');
    homes.push(h);
    const { run } = freshHome({ MAESTRO_SKILLS_DIR: join(h.home, 'custom') });
    const result = await run<Install>('skill', 'install');
    expect(result.skillsDir).toBe(join(h.home, 'custom'));
    expect(existsSync(join(h.home, 'custom', 'maestro-cli', 'SKILL.md'))).toBe(true);
  });
});

describe('maestro skill list and show', () => {
  it('list shows available and installed versions and whether each is linked', async () => {
    const { run } = freshHome();
    type Row = {
      name: string;
      available: string | null;
      installed: string | null;
      linked: boolean;
      type: string;
    };
    const before = await run<Row[]>('skill', 'list');
    expect(before.map((r) => [r.name, r.available, r.installed, r.linked])).toEqual(
      NAMES.map((n) => [n, '0.1.0', null, false]),
    );
    await run('skill', 'install');
    const after = await run<Row[]>('skill', 'list');
    expect(after.map((r) => [r.name, r.installed, r.linked, r.type])).toEqual([
      ['maestro-cli', '0.1.0', true, 'system'],
      ['maestro-orchestrator', '0.1.0', true, 'role'],
      ['maestro-worker', '0.1.0', true, 'role'],
    ]);
  });

  it('show prints SKILL.md: the shipped copy before install, the installed one after', async () => {
    const { run, env, home, skillsDir } = freshHome();
    type Shown = { name: string; source: string; content: string; version: string };
    const before = await run<Shown>('skill', 'show', 'maestro-worker');
    expect(before).toMatchObject({ name: 'maestro-worker', source: 'package', version: '0.1.0' });
    expect(before.content).toBe(shipped('maestro-worker/SKILL.md'));

    await run('skill', 'install');
    appendFileSync(join(skillsDir, 'maestro-worker', 'SKILL.md'), 'local note\n');
    const after = await run<Shown>('skill', 'show', 'maestro-worker');
    expect(after.source).toBe('installed');
    expect(after.content.endsWith('local note\n')).toBe(true);

    const human = await runCli(['skill', 'show', 'maestro-cli'], env, home);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(shipped('maestro-cli/SKILL.md'));
  });

  it('show of an unknown name is invalid_argument listing the known names', async () => {
    const { env, home } = freshHome();
    for (const name of ['maestro-nope', '../maestro-cli']) {
      const result = await runCli(['skill', 'show', name, '--json'], env, home);
      expect(result.code).toBe(2);
      expect(result.json.error).toMatchObject({
        code: 'invalid_argument',
        hint: expect.stringContaining('maestro-cli, maestro-orchestrator, maestro-worker'),
        details: { field: 'name', accepted: NAMES },
      });
    }
  });
});

describe("the package's skills folder", () => {
  it('is found from the bundle (dist/cli.js, dist/chunks/*) and from source by walking up', () => {
    for (const from of [join(ROOT, 'dist'), join(ROOT, 'dist', 'chunks'), join(ROOT, 'cli'), ROOT])
      expect(packageSkillsDir(from)).toBe(join(ROOT, 'skills'));
    expect(packageSkillsDir()).toBe(join(ROOT, 'skills'));
    expect(packageSkillsDir('/')).toBeUndefined();
  });
});
