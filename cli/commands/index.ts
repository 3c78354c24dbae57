import type { Command } from '../registry.js';
import { AUTOPILOT_COMMANDS } from './autopilot.js';
import { BACKUP_COMMANDS } from './backup.js';
import { CONFIG_COMMANDS } from './config.js';
import { EVENTS_COMMAND } from './events.js';
import { INFO_COMMANDS } from './info.js';
import { MCP_COMMANDS } from './mcp.js';
import { PRIME_COMMAND } from './prime.js';
import { PROJECT_COMMANDS } from './project.js';
import { REPORT_COMMANDS } from './report.js';
import { RUNNER_COMMAND } from './runner.js';
import { SERVER_COMMANDS } from './server.js';
import { SESSION_COMMANDS } from './session.js';
import { SKILL_COMMANDS } from './skill.js';
import { SUBTASK_COMMANDS } from './subtask.js';
import { TASK_COMMANDS } from './task.js';
import { TUI_COMMAND } from './tui.js';
import { WORKSPACE_COMMANDS } from './workspace.js';

export { VERSION } from './version.js';

/** Every command of the CLI; help, parsing, docs/cli.md and the contract test are generated from this list. */
export const COMMANDS: readonly Command[] = [
  ...SERVER_COMMANDS,
  ...BACKUP_COMMANDS,
  RUNNER_COMMAND,
  ...TASK_COMMANDS,
  ...PROJECT_COMMANDS,
  ...SUBTASK_COMMANDS,
  ...REPORT_COMMANDS,
  ...SESSION_COMMANDS,
  EVENTS_COMMAND,
  ...INFO_COMMANDS,
  ...CONFIG_COMMANDS,
  ...SKILL_COMMANDS,
  PRIME_COMMAND,
  TUI_COMMAND,
  ...WORKSPACE_COMMANDS,
  ...AUTOPILOT_COMMANDS,
  ...MCP_COMMANDS,
];
