import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../cli/commands/index.js';
import { parseFrontMatter } from '../../cli/skills.js';
import {
  SKILLS_DIR,
  SKILL_NAMES,
  checkCommand,
  commandLines,
  inlineCommands,
  shellWords,
  skillText,
} from '../support/skill-commands.js';

/** Token budgets, counted as characters / 4 over the whole SKILL.md. */
const BUDGETS: Record<string, number> = {
  'maestro-cli': 2500,
  'maestro-worker': 1500,
  'maestro-orchestrator': 1500,
};

describe('the shipped skills', () => {
  it('are exactly maestro-cli, maestro-worker and maestro-orchestrator', () => {
    expect(SKILL_NAMES).toEqual(['maestro-cli', 'maestro-orchestrator', 'maestro-worker']);
  });

  for (const name of ['maestro-cli', 'maestro-worker', 'maestro-orchestrator']) {
    describe(name, () => {
      const text = skillText(name);

      it('has Claude Code front matter: name (the folder) and a description saying when to use it', () => {
        const block = /^---\n([\s\S]*?)\n---\n/.exec(text);
        expect(block, 'front matter at the top').not.toBeNull();
        const lines = block![1]!.split('\n');
        // Plain YAML scalars: one `key: value` per line, and no ': ' inside a value.
        for (const line of lines) expect(line).toMatch(/^(name|description): [^:]*(:[^ ][^:]*)*$/);
        const front = parseFrontMatter(text)! as { name: string; description: string };
        expect(Object.keys(front).sort()).toEqual(['description', 'name']);
        expect(front.name).toBe(name);
        expect(front.name).toMatch(/^[a-z0-9-]{1,64}$/);
        expect(front.description.length).toBeGreaterThan(50);
        expect(front.description.length).toBeLessThanOrEqual(1024);
        expect(front.description).toMatch(/Use (when|whenever)/);
      });

      it('has a manifest.json: name, version, type, assignTo, dependencies', () => {
        const manifest = JSON.parse(readFileSync(join(SKILLS_DIR, name, 'manifest.json'), 'utf8')) as Record<
          string,
          unknown
        >;
        expect(Object.keys(manifest).sort()).toEqual(['assignTo', 'dependencies', 'name', 'type', 'version']);
        expect(manifest.name).toBe(name);
        expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(['system', 'role']).toContain(manifest.type);
        expect(manifest.assignTo).toEqual(expect.any(Array));
        expect((manifest.assignTo as string[]).length).toBeGreaterThan(0);
        for (const role of manifest.assignTo as string[]) expect(['worker', 'orchestrator']).toContain(role);
        for (const dep of manifest.dependencies as string[]) {
          expect(existsSync(join(SKILLS_DIR, dep, 'SKILL.md')), `dependency ${dep}`).toBe(true);
          expect(dep).not.toBe(name);
        }
        if (name === 'maestro-cli') {
          expect(manifest).toMatchObject({ type: 'system', assignTo: ['worker', 'orchestrator'] });
        } else {
          const role = name.replace('maestro-', '');
          expect(manifest).toMatchObject({ type: 'role', assignTo: [role], dependencies: ['maestro-cli'] });
        }
      });

      it(`fits its budget of ${BUDGETS[name]} tokens (characters / 4)`, () => {
        const tokens = Math.ceil(text.length / 4);
        expect(tokens).toBeLessThanOrEqual(BUDGETS[name]!);
      });

      it('every line that starts with maestro is a valid command with --json', () => {
        const lines = commandLines(text);
        expect(lines.length).toBeGreaterThan(2);
        const problems = lines.flatMap((l) => checkCommand(l.text, true).map((p) => `line ${l.line}: ${p}`));
        expect(problems).toEqual([]);
      });

      it('every maestro command quoted inline names a real command and real flags', () => {
        const problems = inlineCommands(text).flatMap((c) => checkCommand(c, false));
        expect(problems).toEqual([]);
      });
    });
  }

  it('the CLI reference names every error code and exit code, and the session variables', () => {
    const text = skillText('maestro-cli');
    const codes = [
      'task_not_found',
      'subtask_not_found',
      'session_not_found',
      'project_not_found',
      'invalid_argument',
      'invalid_transition',
      'dependencies_not_met',
      'dependency_cycle',
      'task_already_claimed',
      'version_conflict',
      'unauthenticated',
      'server_unavailable',
      'spawn_failed',
      'internal',
    ];
    for (const code of codes) expect(text).toContain(`\`${code}\``);
    for (const v of [
      'MAESTRO_SESSION_ID',
      'MAESTRO_TASK_IDS',
      'MAESTRO_ROLE',
      'MAESTRO_PROJECT_ID',
      'MAESTRO_SERVER',
      'MAESTRO_TOKEN',
      'MAESTRO_ACTOR',
    ])
      expect(text).toContain(`\`${v}\``);
    expect(text).toContain('{"ok":true,"data":<result>}');
    expect(text).toMatch(
      /0 ok, 1 internal, 2 invalid input, 3 not found, 4 conflict, 5 server unavailable,\s+6/,
    );
  });

  it('the CLI reference lists the commands an agent uses (each one in the registry)', () => {
    const referenced = new Set(
      commandLines(skillText('maestro-cli')).map((l) => {
        const words = shellWords(l.text).slice(1);
        return COMMANDS.find((c) => c.path.every((p, i) => words[i] === p))!.path.join(' ');
      }),
    );
    for (const path of [
      'whoami',
      'status',
      'prime',
      'task get',
      'task start',
      'task block',
      'task complete',
      'task create',
      'task ready',
      'subtask complete',
      'report progress',
      'session spawn',
      'events',
    ])
      expect(referenced).toContain(path);
  });

  it('the worker never spawns and the orchestrator spawns: the rules are stated', () => {
    const worker = skillText('maestro-worker');
    expect(commandLines(worker).some((l) => l.text.startsWith('maestro session spawn'))).toBe(false);
    expect(worker).toMatch(/Never spawn sessions/);
    expect(worker).toMatch(/Touch only your own tasks/);
    expect(worker).toMatch(/task block --reason/);
    const orchestrator = skillText('maestro-orchestrator');
    expect(orchestrator).toContain('maestro session spawn --task <readyId> --json');
    expect(orchestrator).toMatch(/never implement/i);
  });
});

describe('the command checker used above', () => {
  it('rejects unknown commands and flags, missing values, bad choices, extra arguments and no --json', () => {
    expect(checkCommand('maestro task frobnicate --json', true)[0]).toMatch(/unknown command/);
    expect(checkCommand('maestro task list --colour red --json', true)[0]).toMatch(/unknown flag --colour/);
    expect(checkCommand('maestro task block t_1 --json --reason', true)[0]).toMatch(/--reason needs a value/);
    expect(checkCommand('maestro task list --status done --json', true)[0]).toMatch(/'done' is not one of/);
    expect(checkCommand('maestro task dep add t_1 t_2 t_3 --json', true)[0]).toMatch(/unexpected argument/);
    expect(checkCommand('maestro subtask complete t_1 --json', true)[0]).toMatch(/missing argument/);
    expect(checkCommand('maestro task ready', true)[0]).toMatch(/no --json/);
    expect(checkCommand('maestro task ready --json   # a comment --bogus', true)).toEqual([]);
    expect(checkCommand('maestro report progress "two words" --task <taskId> --json', true)).toEqual([]);
  });

  it('splits words like a shell', () => {
    expect(shellWords(`maestro task create "A b" --desc 'c d' x # note`)).toEqual([
      'maestro',
      'task',
      'create',
      'A b',
      '--desc',
      'c d',
      'x',
    ]);
  });
});
