import type { Command } from '../registry.js';
import { BACKUP_COMMANDS } from './backup.js';
import { MISC_COMMANDS } from './misc.js';
import { PRIME_COMMAND } from './prime.js';
import { RUNNER_COMMAND } from './runner.js';
import { SERVER_COMMANDS } from './server.js';
import { SKILL_COMMANDS } from './skill.js';
import { TASK_COMMANDS } from './task.js';
import { TUI_COMMAND } from './tui.js';

export const VERSION = '0.1.0';

/** Every command of the CLI; help, parsing and the contract test are generated from this list. */
export const COMMANDS: readonly Command[] = [
  ...SERVER_COMMANDS,
  ...BACKUP_COMMANDS,
  RUNNER_COMMAND,
  ...TASK_COMMANDS,
  ...MISC_COMMANDS,
  ...SKILL_COMMANDS,
  PRIME_COMMAND,
  TUI_COMMAND,
];
