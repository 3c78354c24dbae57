import { COMMANDS, VERSION } from './commands/index.js';
import { GLOBAL_FLAGS, usageLine, type Command } from './registry.js';

export function rootHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.path.join(' ').length));
  const lines = COMMANDS.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`);
  return [
    `maestro ${VERSION}: orchestrate AI coding agents.`,
    '',
    'Usage: maestro <command> [arguments] [--json]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'maestro <command> --help' for a command's flags and examples. Agents: always pass --json.",
    '',
  ].join('\n');
}

export function helpFor(command: Command): string {
  const flags = { ...(command.flags ?? {}), ...GLOBAL_FLAGS };
  const width = Math.max(...Object.keys(flags).map((f) => f.length + 2));
  const out = [command.summary, '', `Usage: ${usageLine(command)}`, '', 'Flags:'];
  for (const [name, f] of Object.entries(flags)) {
    out.push(`  ${`--${name}`.padEnd(width)}  ${f.describe}${f.choices ? ` (${f.choices.join(', ')})` : ''}`);
  }
  if (command.examples?.length) out.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  const env = ['MAESTRO_SERVER', 'MAESTRO_TOKEN', ...(command.env ?? [])];
  out.push('', `Environment: ${env.join(', ')}`, '');
  return out.join('\n');
}

/** `maestro task` alone: the commands of the group. */
export function groupHelp(words: readonly string[], group: readonly Command[]): string {
  const width = Math.max(...group.map((c) => c.path.join(' ').length));
  return [
    `maestro ${words.join(' ')}: ${group.length} command${group.length === 1 ? '' : 's'}.`,
    '',
    ...group.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    "Run 'maestro <command> --help' for a command's flags and examples.",
    '',
  ].join('\n');
}
