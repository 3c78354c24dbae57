import type { SessionUsage } from '../contract/views.js';
import {
  commandLine,
  entry,
  num,
  parseJsonLine,
  str,
  type AgentAdapter,
  type AgentSignal,
  type LaunchPlan,
  type OutputParser,
  type PlanInput,
} from './adapter.js';
import type { AgentProfile } from './profiles.js';

/**
 * OpenAI's Codex CLI: `codex exec --json`, the prompt on stdin. Permissions: `default` is the
 * workspace-write sandbox with the network on (without it the worker could not reach the Maestro
 * server on localhost); `full` is --dangerously-bypass-approvals-and-sandbox. Codex takes no
 * message while it runs: `session send` keeps it for the next resume (`codex exec resume
 * <thread>`). It reports tokens but no cost.
 */
export const codexAdapter: AgentAdapter = {
  name: 'codex',
  resumable: true,
  versionArgs: ['--version'],

  plan(profile: AgentProfile, input: PlanInput): LaunchPlan {
    const words = [profile.command, 'exec', '--json', '--skip-git-repo-check', ...profile.args];
    if (profile.model) words.push('-m', profile.model);
    if (profile.permissions === 'full') words.push('--dangerously-bypass-approvals-and-sandbox');
    else words.push('-s', 'workspace-write', '-c', 'sandbox_workspace_write.network_access=true');
    if (input.resume) words.push('resume', input.resume);
    // No positional prompt: Codex reads it from stdin.
    return {
      command: commandLine(words),
      program: profile.command,
      input: 'prompt',
      initialInput: '',
      env: { ...profile.env },
      mode: 'headless',
      trustWorkingDir: false,
    };
  },

  parser(_profile, previous): OutputParser {
    return new CodexJsonParser(previous);
  },

  message() {
    return null;
  },

  finish() {
    return null;
  },
};

/**
 * Reads `codex exec --json`. `turn.completed.usage` is the thread's running total (earlier runs of
 * a resumed thread included), so each one is recorded as the difference from the last total seen;
 * a resumed session starts from the totals of the session it resumed.
 */
export class CodexJsonParser implements OutputParser {
  private total: Partial<SessionUsage>;

  constructor(previous: SessionUsage | null) {
    this.total = previous
      ? {
          inputTokens: previous.inputTokens,
          outputTokens: previous.outputTokens,
          cacheReadTokens: previous.cacheReadTokens,
        }
      : {};
  }

  line(text: string): AgentSignal[] {
    const event = parseJsonLine(text);
    if (!event) return text.trim() ? [entry('output', text)] : [];
    const out: AgentSignal[] = [];
    switch (event.type) {
      case 'thread.started':
        if (str(event.thread_id)) out.push({ kind: 'harness-session', id: str(event.thread_id) });
        out.push(entry('system', `Codex started thread ${str(event.thread_id)}.`));
        break;
      case 'item.completed': {
        const item = (event.item ?? {}) as Record<string, unknown>;
        if (item.type === 'agent_message') out.push(entry('assistant', str(item.text)));
        else if (item.type === 'command_execution') {
          out.push(
            entry('tool_call', `$ ${str(item.command)}`, {
              tool: 'shell',
              input: JSON.stringify({ command: item.command }),
            }),
          );
          out.push({ kind: 'usage', usage: { toolCalls: 1 } });
          out.push(
            entry('tool_result', str(item.aggregated_output), {
              tool: 'shell',
              isError: num(item.exit_code) !== 0,
            }),
          );
        } else if (item.type === 'error') out.push(entry('system', str(item.message)));
        break;
      }
      case 'turn.completed': {
        const u = (event.usage ?? {}) as Record<string, unknown>;
        const now = {
          inputTokens: num(u.input_tokens),
          outputTokens: num(u.output_tokens),
          cacheReadTokens: num(u.cached_input_tokens),
        };
        out.push({
          kind: 'usage',
          usage: {
            turns: 1,
            inputTokens: Math.max(0, now.inputTokens - (this.total.inputTokens ?? 0)),
            outputTokens: Math.max(0, now.outputTokens - (this.total.outputTokens ?? 0)),
            cacheReadTokens: Math.max(0, now.cacheReadTokens - (this.total.cacheReadTokens ?? 0)),
          },
        });
        this.total = now;
        out.push({ kind: 'turn-ended', resultText: '', isError: false });
        break;
      }
      case 'turn.failed': {
        const message = str((event.error as Record<string, unknown> | undefined)?.message);
        if (/usage limit/i.test(message))
          out.push({ kind: 'limit', limit: { kind: 'usage', resetsAt: resetFromText(message), message } });
        out.push(entry('error', message, { isError: true }));
        out.push({ kind: 'turn-ended', resultText: message, isError: true });
        break;
      }
      case 'error':
        out.push(entry('system', str(event.message)));
        break;
    }
    return out;
  }
}

/**
 * "… try again at 7:22 PM." names a local time of the machine: the next such time from now, as
 * ISO; '' when the text names none.
 */
export function resetFromText(message: string, now = new Date()): string {
  const m = /try again at (\d{1,2}):(\d{2})\s*([AP]M)?/i.exec(message);
  if (!m) return '';
  let hours = Number(m[1]) % 12;
  if (m[3]?.toUpperCase() === 'PM') hours += 12;
  if (!m[3]) hours = Number(m[1]);
  const at = new Date(now);
  at.setHours(hours, Number(m[2]), 0, 0);
  if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1);
  return at.toISOString();
}
