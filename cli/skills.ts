import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `manifest.json` declares about a skill. */
export interface SkillManifest {
  name: string;
  version: string;
  type: 'system' | 'role';
  assignTo: string[];
  dependencies: string[];
}

export interface SkillInfo {
  manifest: SkillManifest;
  description: string;
  dir: string;
}

/** The record of what `skill install` wrote, kept in the skills folder. */
export interface InstallRecord {
  installedBy: string;
  updatedAt: string;
  skills: Record<string, string>;
  /** Path relative to the skills folder → sha256 of the content Maestro wrote there. */
  files: Record<string, string>;
}

export const RECORD_FILE = '.maestro-install.json';
export const PRIME_HOOK_COMMAND = 'maestro prime';

/**
 * The skills shipped with the package. The CLI runs from `dist/cli.js`, from a chunk in
 * `dist/chunks/`, or from source under a test runner, so the folder is found by walking up from
 * this module to the first folder holding both `package.json` and `skills/maestro-cli/`.
 */
export function packageSkillsDir(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (
      existsSync(join(dir, 'package.json')) &&
      existsSync(join(dir, 'skills', 'maestro-cli', 'manifest.json'))
    )
      return join(dir, 'skills');
    if (dirname(dir) === dir) return undefined;
  }
}

/** The version in the package.json next to a package skills folder. */
function packageVersion(skillsSource: string): string {
  try {
    return String(
      (readJson(join(dirname(skillsSource), 'package.json')) as { version?: string }).version ?? '',
    );
  } catch {
    return '';
  }
}

/** The `key: value` pairs of a SKILL.md's YAML front matter (plain or quoted scalars only). */
export function parseFrontMatter(text: string): Record<string, string> | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!match) return undefined;
  const fields: Record<string, string> = {};
  for (const line of match[1]!.split(/\r?\n/)) {
    const kv = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (!kv) continue;
    let value = kv[2]!.trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    fields[kv[1]!] = value;
  }
  return fields;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** A skill folder's manifest and description, or undefined when it is not a skill. */
export function readSkill(dir: string): SkillInfo | undefined {
  const manifestPath = join(dir, 'manifest.json');
  const skillPath = join(dir, 'SKILL.md');
  if (!existsSync(skillPath)) return undefined;
  const front = parseFrontMatter(readFileSync(skillPath, 'utf8')) ?? {};
  let manifest: Partial<SkillManifest> = {};
  try {
    if (existsSync(manifestPath)) manifest = readJson(manifestPath) as Partial<SkillManifest>;
  } catch {
    // an unreadable manifest still leaves a usable SKILL.md
  }
  const name = manifest.name ?? front.name ?? dir.split('/').pop()!;
  return {
    manifest: {
      name,
      version: manifest.version ?? '',
      type: manifest.type === 'system' ? 'system' : 'role',
      assignTo: manifest.assignTo ?? [],
      dependencies: manifest.dependencies ?? [],
    },
    description: front.description ?? '',
    dir,
  };
}

/** Every skill in a folder (sub-folders with a SKILL.md), by name. */
export function readSkills(root: string): SkillInfo[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() || (e.isSymbolicLink() && isDir(join(root, e.name))))
    .map((e) => readSkill(join(root, e.name)))
    .filter((s): s is SkillInfo => s !== undefined)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  );
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export function readRecord(skillsDir: string): InstallRecord | undefined {
  const path = join(skillsDir, RECORD_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const record = readJson(path) as Partial<InstallRecord>;
    return {
      installedBy: record.installedBy ?? '',
      updatedAt: record.updatedAt ?? '',
      skills: record.skills ?? {},
      files: record.files ?? {},
    };
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file, so a crash never leaves half a file. */
function writeAtomically(path: string, data: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export type FileAction = 'installed' | 'updated' | 'unchanged' | 'overwritten' | 'skipped';
export type LinkAction = 'linked' | 'unchanged' | 'replaced' | 'skipped';

export interface InstallResult {
  skillsDir: string;
  claudeSkillsDir: string;
  skills: {
    name: string;
    version: string;
    path: string;
    link: string;
    status: 'installed' | 'updated' | 'unchanged' | 'partial';
    linkAction: LinkAction;
  }[];
  /** Paths relative to the skills folder. */
  files: { path: string; action: FileAction }[];
  /** What was left alone, and why. `--force` replaces all of it. */
  skipped: { path: string; reason: string }[];
  hooks: { path: string; action: 'added' | 'unchanged' } | null;
}

export interface InstallOptions {
  source: string;
  skillsDir: string;
  claudeDir: string;
  force: boolean;
  hooks: boolean;
}

/**
 * Copies the package's skills into the skills folder and links each into Claude Code's skills
 * folder. A file whose content still matches the hash recorded at the last install is ours and is
 * updated; any other difference is the user's edit and is kept unless `force`.
 */
export function installSkills(options: InstallOptions): InstallResult {
  const { source, skillsDir, claudeDir, force } = options;
  const claudeSkillsDir = join(claudeDir, 'skills');
  const settingsPath = join(claudeDir, 'settings.json');
  // Read (and so validate) Claude's settings before changing anything.
  const settings = options.hooks ? readClaudeSettings(settingsPath) : undefined;
  const record = readRecord(skillsDir) ?? { installedBy: '', updatedAt: '', skills: {}, files: {} };
  const result: InstallResult = {
    skillsDir,
    claudeSkillsDir,
    skills: [],
    files: [],
    skipped: [],
    hooks: null,
  };
  mkdirSync(skillsDir, { recursive: true });
  for (const skill of readSkills(source)) {
    const name = skill.manifest.name;
    const target = join(skillsDir, name);
    const actions: FileAction[] = [];
    for (const file of filesUnder(skill.dir)) {
      const rel = relative(source, file);
      const dest = join(skillsDir, rel);
      const content = readFileSync(file);
      const wanted = sha256(content);
      let action: FileAction;
      if (!existsSync(dest)) action = 'installed';
      else {
        const current = sha256(readFileSync(dest));
        if (current === wanted) action = 'unchanged';
        else if (record.files[rel] === current) action = 'updated';
        else if (force) action = 'overwritten';
        else {
          action = 'skipped';
          result.skipped.push({
            path: dest,
            reason:
              rel in record.files
                ? 'changed since maestro installed it'
                : 'exists and was not installed by maestro',
          });
        }
      }
      if (action === 'installed' || action === 'updated' || action === 'overwritten')
        writeAtomically(dest, content);
      if (action !== 'skipped') record.files[rel] = wanted;
      actions.push(action);
      result.files.push({ path: rel, action });
    }
    record.skills[name] = skill.manifest.version;
    const link = join(claudeSkillsDir, name);
    const linkAction = linkSkill(link, target, force);
    if (linkAction === 'skipped')
      result.skipped.push({ path: link, reason: `something else is there (not a link to ${target})` });
    result.skills.push({
      name,
      version: skill.manifest.version,
      path: target,
      link,
      status: actions.includes('skipped')
        ? 'partial'
        : actions.every((a) => a === 'unchanged')
          ? 'unchanged'
          : actions.some((a) => a === 'updated' || a === 'overwritten')
            ? 'updated'
            : 'installed',
      linkAction,
    });
  }
  record.installedBy = `maestro ${packageVersion(source)}`;
  record.updatedAt = new Date().toISOString();
  writeAtomically(join(skillsDir, RECORD_FILE), JSON.stringify(record, null, 2) + '\n');
  if (settings) {
    const merged = withPrimeHook(settings);
    if (merged) writeAtomically(settingsPath, JSON.stringify(merged, null, 2) + '\n');
    result.hooks = { path: settingsPath, action: merged ? 'added' : 'unchanged' };
  }
  return result;
}

/** Points `link` at `target`; leaves anything else there alone unless `force`. */
function linkSkill(link: string, target: string, force: boolean): LinkAction {
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(link);
  } catch {
    existing = undefined;
  }
  if (existing?.isSymbolicLink() && resolve(dirname(link), readlinkSync(link)) === resolve(target))
    return 'unchanged';
  if (existing && !force) return 'skipped';
  if (existing) rmSync(link, { recursive: true, force: true });
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(target, link, 'dir');
  return existing ? 'replaced' : 'linked';
}

export class ClaudeSettingsError extends Error {
  override readonly name = 'ClaudeSettingsError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function readClaudeSettings(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ClaudeSettingsError(path, `${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ClaudeSettingsError(path, `${path} must hold a JSON object.`);
  const hooks = (parsed as Record<string, unknown>).hooks;
  if (hooks !== undefined && (!hooks || typeof hooks !== 'object' || Array.isArray(hooks)))
    throw new ClaudeSettingsError(path, `${path}: "hooks" must be an object.`);
  const start = (hooks as Record<string, unknown> | undefined)?.SessionStart;
  if (start !== undefined && !Array.isArray(start))
    throw new ClaudeSettingsError(path, `${path}: "hooks.SessionStart" must be a list.`);
  return parsed as Record<string, unknown>;
}

interface HookGroup {
  matcher?: string;
  hooks?: { type?: string; command?: string }[];
}

/** Whether a SessionStart hook already runs `maestro prime` (with or without flags). */
export function hasPrimeHook(settings: Record<string, unknown>): boolean {
  const groups = ((settings.hooks as Record<string, unknown> | undefined)?.SessionStart ?? []) as HookGroup[];
  return groups.some(
    (g) =>
      Array.isArray(g?.hooks) &&
      g.hooks.some(
        (h) =>
          h?.type === 'command' &&
          typeof h.command === 'string' &&
          new RegExp(`^${PRIME_HOOK_COMMAND}(\\s|$)`).test(h.command.trim()),
      ),
  );
}

/** The settings with a SessionStart hook running `maestro prime` added; undefined when already there. */
export function withPrimeHook(settings: Record<string, unknown>): Record<string, unknown> | undefined {
  if (hasPrimeHook(settings)) return undefined;
  const hooks = { ...((settings.hooks as Record<string, unknown> | undefined) ?? {}) };
  const group: HookGroup & { hooks: { type: string; command: string; timeout: number }[] } = {
    matcher: 'startup|resume|clear|compact',
    hooks: [{ type: 'command', command: PRIME_HOOK_COMMAND, timeout: 30 }],
  };
  hooks.SessionStart = [...((hooks.SessionStart as unknown[] | undefined) ?? []), group];
  return { ...settings, hooks };
}
