import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { cliError } from '../errors.js';
import { paint, table } from '../output.js';
import type { Command, CommandContext } from '../registry.js';
import {
  ClaudeSettingsError,
  installSkills,
  packageSkillsDir,
  readRecord,
  readSkill,
  readSkills,
  sha256,
  type InstallResult,
  type SkillInfo,
} from '../skills.js';

/** Where the skills go (settings.skillsDir) and where Claude Code looks for them (~/.claude). */
function locations(ctx: CommandContext) {
  const home = ctx.env.HOME || homedir();
  return {
    skillsDir: resolve(ctx.cwd, ctx.settings.skillsDir),
    claudeDir: join(home, '.claude'),
  };
}

function sourceDir(): string {
  const dir = packageSkillsDir();
  if (!dir) {
    throw cliError(
      'internal',
      "The package's skills/ folder was not found next to the maestro CLI.",
      'Reinstall the maestro-orchestrator package; its skills/ folder ships with it.',
    );
  }
  return dir;
}

function linkTarget(link: string): string | undefined {
  try {
    return lstatSync(link).isSymbolicLink() ? resolve(dirname(link), readlinkSync(link)) : undefined;
  } catch {
    return undefined;
  }
}

function installHuman(r: InstallResult): string {
  const lines = [
    `Skills in ${r.skillsDir}, linked from ${r.claudeSkillsDir}:`,
    table(
      ['NAME', 'VERSION', 'FILES', 'LINK'],
      r.skills.map((s) => [s.name, s.version, s.status, s.linkAction]),
    ),
  ];
  if (r.skipped.length) {
    lines.push('', paint('yellow', 'Left alone (run again with --force to replace):'));
    for (const s of r.skipped) lines.push(`  ${s.path}: ${s.reason}`);
  }
  if (r.hooks)
    lines.push(
      '',
      `SessionStart hook running 'maestro prime': ${r.hooks.action === 'added' ? 'added to' : 'already in'} ${r.hooks.path}`,
    );
  return lines.join('\n');
}

/** An installed skill whose files differ from what Maestro wrote (the user edited it). */
function modifiedFiles(skillsDir: string, name: string): string[] {
  const record = readRecord(skillsDir);
  if (!record) return [];
  return Object.entries(record.files)
    .filter(([rel]) => rel.startsWith(`${name}/`))
    .filter(([rel, hash]) => {
      const path = join(skillsDir, rel);
      return existsSync(path) && sha256(readFileSync(path)) !== hash;
    })
    .map(([rel]) => rel);
}

const install: Command = {
  path: ['skill', 'install'],
  summary: "Install Maestro's skills into the skills folder and link them into ~/.claude/skills.",
  flags: {
    force: { type: 'boolean', describe: 'Replace files and links you changed (they are kept otherwise).' },
    hooks: {
      type: 'boolean',
      describe: "Also add a SessionStart hook running 'maestro prime' to ~/.claude/settings.json.",
    },
  },
  mutatesLocally: true,
  examples: ['maestro skill install --json', 'maestro skill install --hooks --json'],
  env: ['MAESTRO_SKILLS_DIR', 'HOME'],
  async run(ctx) {
    const { skillsDir, claudeDir } = locations(ctx);
    let result: InstallResult;
    try {
      result = installSkills({
        source: sourceDir(),
        skillsDir,
        claudeDir,
        force: ctx.has('force'),
        hooks: ctx.has('hooks'),
      });
    } catch (error) {
      if (error instanceof ClaudeSettingsError) {
        throw cliError('invalid_argument', error.message, 'Fix or remove that file, then run this again.', {
          field: error.path,
        });
      }
      throw error;
    }
    return { data: result, human: installHuman(result) };
  },
};

interface SkillRow {
  name: string;
  description: string;
  type: string;
  assignTo: string[];
  dependencies: string[];
  /** Version shipped with this maestro, or null. */
  available: string | null;
  /** Version in the skills folder, or null when not installed. */
  installed: string | null;
  /** Installed files the user changed since Maestro wrote them. */
  modified: string[];
  /** Whether ~/.claude/skills/<name> links to the installed copy. */
  linked: boolean;
  path: string | null;
}

const list: Command = {
  path: ['skill', 'list'],
  summary: 'List the skills this maestro ships and the installed ones, with their versions.',
  examples: ['maestro skill list --json'],
  env: ['MAESTRO_SKILLS_DIR', 'HOME'],
  async run(ctx) {
    const { skillsDir, claudeDir } = locations(ctx);
    const available = new Map(readSkills(sourceDir()).map((s) => [s.manifest.name, s]));
    const installed = new Map(readSkills(skillsDir).map((s) => [s.manifest.name, s]));
    const names = [...new Set([...available.keys(), ...installed.keys()])].sort();
    const rows: SkillRow[] = names.map((name) => {
      const a = available.get(name);
      const i = installed.get(name);
      const info = (i ?? a)!;
      return {
        name,
        description: info.description,
        type: info.manifest.type,
        assignTo: info.manifest.assignTo,
        dependencies: info.manifest.dependencies,
        available: a?.manifest.version ?? null,
        installed: i ? i.manifest.version || 'unknown' : null,
        modified: i ? modifiedFiles(skillsDir, name) : [],
        linked: i ? linkTarget(join(claudeDir, 'skills', name)) === resolve(i.dir) : false,
        path: i?.dir ?? null,
      };
    });
    return {
      data: rows,
      human:
        table(
          ['NAME', 'AVAILABLE', 'INSTALLED', 'LINKED', 'TYPE'],
          rows.map((r) => [
            r.name,
            r.available ?? '-',
            (r.installed ?? '-') + (r.modified.length ? ' (modified)' : ''),
            r.linked ? 'yes' : 'no',
            `${r.type} (${r.assignTo.join(', ') || '-'})`,
          ]),
        ) +
        (rows.some((r) => r.installed === null) ? `\n\nInstall with 'maestro skill install'.` : '') +
        `\nSkills folder: ${skillsDir}`,
    };
  },
};

const show: Command = {
  path: ['skill', 'show'],
  summary: "Print a skill's SKILL.md (the installed copy if there is one, else the shipped one).",
  args: [{ name: 'name', required: true }],
  examples: ['maestro skill show maestro-worker', 'maestro skill show maestro-cli --json'],
  env: ['MAESTRO_SKILLS_DIR'],
  async run(ctx) {
    const { skillsDir } = locations(ctx);
    const source = sourceDir();
    const name = ctx.args.name!;
    const pick = (root: string): SkillInfo | undefined =>
      /^[a-z0-9][a-z0-9-]*$/.test(name) ? readSkill(join(root, name)) : undefined;
    const installed = pick(skillsDir);
    const skill = installed ?? pick(source);
    if (!skill) {
      const names = [
        ...new Set([...readSkills(source), ...readSkills(skillsDir)].map((s) => s.manifest.name)),
      ].sort();
      throw cliError(
        'invalid_argument',
        `No skill named '${name}'.`,
        `Known skills: ${names.join(', ')}. Run 'maestro skill list' for details.`,
        { field: 'name', accepted: names },
      );
    }
    const path = join(skill.dir, 'SKILL.md');
    const content = readFileSync(path, 'utf8');
    return {
      data: {
        name: skill.manifest.name,
        version: skill.manifest.version,
        source: installed ? 'installed' : 'package',
        path,
        content,
      },
      human: content,
    };
  },
};

export const SKILL_COMMANDS: Command[] = [install, list, show];
