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
 * What a worker may do by default: run `maestro` (one command per call), read, search and edit
 * files in its working directory. Nothing else runs without a person's say.
 */
export const CLAUDE_DEFAULT_TOOLS = ['Bash(maestro *)', 'Read', 'Edit', 'Write', 'Glob', 'Grep', 'TodoWrite'];

/** Variables that keep an unattended Claude Code from updating itself or phoning home mid-task. */
const QUIET = {
  DISABLE_AUTOUPDATER: '1',
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
};

/**
 * Claude Code. Headless (the default): `claude -p --output-format stream-json --verbose
 * --input-format stream-json`, the prompt as the first stream-json message on stdin, steering as
 * further messages, and stdin closed after the turn that ends the work. Interactive: the prompt
 * after `--` in a tmux window a person can attach to; steering is typed into it, and `/exit`
 * ends it. Permissions: `default` = acceptEdits (headless) or dontAsk (interactive, never a
 * prompt) with CLAUDE_DEFAULT_TOOLS; `full` = --dangerously-skip-permissions with IS_SANDBOX=1
 * (which Claude Code requires as root); a list = exactly those tools.
 */
export const claudeAdapter: AgentAdapter = {
  name: 'claude',
  resumable: true,
  versionArgs: ['--version'],

  plan(profile: AgentProfile, input: PlanInput): LaunchPlan {
    const interactive = profile.mode === 'interactive';
    const words: string[] = [profile.command, ...profile.args];
    if (!interactive)
      words.push('-p', '--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json');
    if (profile.model) words.push('--model', profile.model);
    if (input.resume) words.push('--resume', input.resume);
    else if (input.harnessSessionId) words.push('--session-id', input.harnessSessionId);
    const env: Record<string, string> = { ...QUIET };
    // List flags last: nothing that follows can be taken for one of their values.
    if (profile.permissions === 'full') {
      words.push('--dangerously-skip-permissions');
      env.IS_SANDBOX = '1';
    } else {
      words.push('--permission-mode', interactive ? 'dontAsk' : 'acceptEdits');
      words.push(
        '--allowedTools',
        ...(profile.permissions === 'default' ? CLAUDE_DEFAULT_TOOLS : profile.permissions),
      );
    }
    let command = commandLine(words);
    // Interactive: the prompt after `--` (read from the file the runner writes), so no flag eats it.
    if (interactive) command += ' -- "$(cat {promptFile})"';
    return {
      command,
      program: profile.command,
      input: interactive ? 'none' : 'stream',
      initialInput: interactive ? '' : userMessage(input.prompt),
      env: { ...env, ...profile.env },
      mode: profile.mode,
      trustWorkingDir: interactive,
    };
  },

  parser(profile): OutputParser {
    // An interactive agent writes a terminal screen, not events: its output is kept as raw
    // terminal output (session logs), and its transcript stays empty.
    return profile.mode === 'interactive' ? { line: () => [] } : new ClaudeStreamParser();
  },

  message(profile, text) {
    return profile.mode === 'interactive' ? { keys: text } : { write: userMessage(text) };
  },

  finish(profile) {
    return profile.mode === 'interactive' ? { keys: '/exit' } : { close: true };
  },
};

/** A stream-json user message (one line). */
export function userMessage(text: string): string {
  return `${JSON.stringify({ type: 'user', message: { role: 'user', content: text } })}\n`;
}

/**
 * Reads Claude Code's stream-json output. Tokens come from each `result` (one per turn, summed);
 * the cost is the last `total_cost_usd` (Claude Code's running total for the process); the
 * `assistant` events' usage is a placeholder and is not counted.
 */
export class ClaudeStreamParser implements OutputParser {
  private resetsAt = '';

  line(text: string): AgentSignal[] {
    const event = parseJsonLine(text);
    if (!event) return text.trim() ? [entry('output', text)] : [];
    const out: AgentSignal[] = [];
    const sessionId = str(event.session_id);
    switch (event.type) {
      case 'system':
        if (event.subtype === 'init') {
          if (sessionId) out.push({ kind: 'harness-session', id: sessionId });
          out.push(
            entry(
              'system',
              `Claude Code ${str(event.claude_code_version)} started (model ${str(event.model)}, ${str(event.permissionMode)}).`,
            ),
          );
        } else if (event.subtype === 'permission_denied') {
          out.push(
            entry('error', `Permission denied for ${str(event.tool_name)}: ${str(event.message)}`, {
              tool: str(event.tool_name),
              isError: true,
            }),
          );
        } else if (event.subtype === 'api_retry') {
          out.push(
            entry(
              'system',
              `API call retried (attempt ${num(event.attempt)} of ${num(event.max_retries)}, ${str(event.error)}${event.error_status ? ` ${num(event.error_status)}` : ''}).`,
            ),
          );
        }
        break;
      case 'assistant': {
        const message = event.message as { content?: unknown[] } | undefined;
        for (const block of message?.content ?? []) {
          const b = block as Record<string, unknown>;
          if (b.type === 'text' && str(b.text)) out.push(entry('assistant', str(b.text)));
          if (b.type === 'tool_use') {
            out.push(
              entry('tool_call', describeToolUse(str(b.name), b.input), {
                tool: str(b.name),
                input: JSON.stringify(b.input ?? {}),
              }),
            );
            out.push({ kind: 'usage', usage: { toolCalls: 1 } });
          }
        }
        break;
      }
      case 'user': {
        const message = event.message as { content?: unknown } | undefined;
        const content = message?.content;
        if (typeof content === 'string') out.push(entry('user', content));
        else if (Array.isArray(content)) {
          for (const block of content) {
            const b = block as Record<string, unknown>;
            if (b.type === 'tool_result')
              out.push(entry('tool_result', resultText(b.content), { isError: b.is_error === true }));
            else if (b.type === 'text') out.push(entry('user', str(b.text)));
          }
        }
        break;
      }
      case 'rate_limit_event': {
        const info = event.rate_limit_info as Record<string, unknown> | undefined;
        if (info?.status === 'rejected' && typeof info.resetsAt === 'number')
          this.resetsAt = new Date(info.resetsAt * 1000).toISOString();
        break;
      }
      case 'result': {
        const usage = (event.usage ?? {}) as Record<string, unknown>;
        const delta: Partial<SessionUsage> = {
          turns: num(event.num_turns),
          inputTokens: num(usage.input_tokens),
          outputTokens: num(usage.output_tokens),
          cacheReadTokens: num(usage.cache_read_input_tokens),
          cacheWriteTokens: num(usage.cache_creation_input_tokens),
          durationMs: num(event.duration_ms),
        };
        out.push({ kind: 'usage', usage: delta });
        if (typeof event.total_cost_usd === 'number')
          out.push({ kind: 'cost', costUsd: event.total_cost_usd });
        const result = str(event.result);
        const isError = event.is_error === true;
        if (event.api_error === 'usage_limit_reached') {
          out.push({ kind: 'limit', limit: { kind: 'usage', resetsAt: this.resetsAt, message: result } });
        } else if (isError && num(event.api_error_status) === 429) {
          out.push({ kind: 'limit', limit: { kind: 'rate', resetsAt: '', message: result } });
        }
        out.push(entry(isError ? 'error' : 'result', result || str(event.subtype), { isError }));
        out.push({ kind: 'turn-ended', resultText: result, isError });
        break;
      }
    }
    return out;
  }
}

function describeToolUse(name: string, input: unknown): string {
  const i = (input ?? {}) as Record<string, unknown>;
  if (name === 'Bash') return `$ ${str(i.command)}`;
  if (typeof i.file_path === 'string') return `${name} ${i.file_path}`;
  return name;
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((c) => str((c as Record<string, unknown>).text))
      .filter(Boolean)
      .join('\n');
  return '';
}
