import { entry, type AgentAdapter, type LaunchPlan, type OutputParser } from './adapter.js';
import type { AgentProfile } from './profiles.js';

/**
 * Any other program, from a command line in the configuration (`agentCommand`, or a profile's
 * `command`): `{promptFile}` is replaced by the quoted path of the prompt file; without it, the
 * prompt is the program's stdin (never an argument a flag could swallow). Its output is kept as
 * it comes; it reports no usage, takes no messages and cannot be resumed.
 */
export const commandAdapter: AgentAdapter = {
  name: 'command',
  resumable: false,
  versionArgs: [],

  plan(profile: AgentProfile): LaunchPlan {
    const command = [profile.command, ...profile.args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`)].join(' ');
    return {
      command,
      program: profile.command.trim().split(/\s+/)[0] ?? '',
      input: command.includes('{promptFile}') ? 'none' : 'prompt',
      initialInput: '',
      env: { ...profile.env },
      mode: 'headless',
      trustWorkingDir: false,
    };
  },

  parser(): OutputParser {
    return { line: (text) => (text.trim() ? [entry('output', text)] : []) };
  },

  message() {
    return null;
  },

  finish() {
    return null;
  },
};
