import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MISSING_VALUE, parseArgs } from '../../cli/args.js';
import { findCommand } from '../../cli/main.js';
import { GLOBAL_FLAGS } from '../../cli/registry.js';
import { ROOT } from './cli.js';

export const SKILLS_DIR = join(ROOT, 'skills');
export const SKILL_NAMES = readdirSync(SKILLS_DIR).sort();

export const skillText = (name: string) => readFileSync(join(SKILLS_DIR, name, 'SKILL.md'), 'utf8');

/** Lines that start with `maestro` (in prose or in code blocks), with their line numbers. */
export function commandLines(text: string): { line: number; text: string }[] {
  return text
    .split('\n')
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => /^maestro(\s|$)/.test(l.text));
}

/** Inline code spans that hold a maestro command, e.g. `maestro task tree --json`. */
export function inlineCommands(text: string): string[] {
  return [...text.matchAll(/`(maestro [^`]+)`/g)].map((m) => m[1]!);
}

/** The lines of the fenced code blocks under a `## heading` of a skill. */
export function sectionCommands(text: string, heading: string): string[] {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section '## ${heading}'`);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const lines: string[] = [];
  let inCode = false;
  for (const line of section.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    else if (inCode && line.trim()) lines.push(line.trim());
  }
  return lines;
}

/** Splits a command line into words like a POSIX shell (quotes, `# comment`), without expansion. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) break;
    else word = (word ?? '') + c;
  }
  if (quote) throw new Error(`unclosed quote in: ${line}`);
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * Checks a `maestro ...` command against the real registry the way `cli/main.ts` parses it: the
 * command exists, every flag exists for it, takes a value when it needs one, is not repeated unless
 * repeatable, uses an accepted choice, and the positionals fit the declared arguments. `strict`
 * also requires the required arguments and `--json`. Returns the problems found (none: valid).
 */
export function checkCommand(line: string, strict: boolean): string[] {
  const words = shellWords(line);
  if (words[0] !== 'maestro') return [`does not start with maestro: ${line}`];
  const argv = words.slice(1);
  const probe = parseArgs(argv, (f) => GLOBAL_FLAGS[f]?.type === 'string');
  const found = findCommand(probe.positionals);
  if (!found) return [`unknown command: ${line}`];
  const { command } = found;
  const spec = { ...GLOBAL_FLAGS, ...(command.flags ?? {}) };
  const parsed = parseArgs(argv, (f) => spec[f]?.type === 'string');
  const problems: string[] = [];
  for (const [name, values] of parsed.flags) {
    const flag = spec[name];
    if (!flag) {
      problems.push(`unknown flag --${name} for 'maestro ${command.path.join(' ')}'`);
      continue;
    }
    if (values.includes(MISSING_VALUE)) problems.push(`--${name} needs a value`);
    if (!flag.repeatable && values.length > 1) problems.push(`--${name} given twice`);
    for (const v of flag.choices ? values.flatMap((x) => x.split(',')) : []) {
      if (!flag.choices!.includes(v))
        problems.push(`--${name} '${v}' is not one of ${flag.choices!.join(', ')}`);
    }
  }
  const rest = parsed.positionals.slice(command.path.length);
  const declared = command.args ?? [];
  if (!declared.some((a) => a.variadic) && rest.length > declared.length)
    problems.push(`unexpected argument '${rest[declared.length]}'`);
  if (strict) {
    // An id a session supplies (MAESTRO_TASK_IDS) may be left out, as the CLI allows.
    const missing = declared.filter((a, i) => a.required && rest[i] === undefined);
    if (missing.length) problems.push(`missing argument <${missing.map((a) => a.name).join('>, <')}>`);
    if (!parsed.flags.has('json')) problems.push('no --json');
  }
  return problems.map((p) => `${p} (in: ${line})`);
}
