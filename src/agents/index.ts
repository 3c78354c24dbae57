import type { AgentAdapter } from './adapter.js';
import { claudeAdapter } from './claude.js';
import { codexAdapter } from './codex.js';
import { commandAdapter } from './command.js';
import type { AdapterName } from './profiles.js';

export * from './adapter.js';
export * from './profiles.js';

/** The built-in adapters. Adding a harness means writing one of these (docs/agents.md). */
export const ADAPTERS: Readonly<Record<AdapterName, AgentAdapter>> = {
  claude: claudeAdapter,
  codex: codexAdapter,
  command: commandAdapter,
};
