import type { SessionUsage, TranscriptEntry, UsageLimit } from '../contract/views.js';
import type { AgentMode, AgentProfile } from './profiles.js';

/**
 * An agent adapter knows one harness: how to start it unattended with a permission policy, how
 * to hand it the prompt where no flag can eat it, how to read its structured output, how to send
 * it a message, how to end it, and how to resume its conversation. Adapters build plans and read
 * output; they run nothing themselves (runners start processes, the server keeps the record).
 */

/** How the agent gets its prompt and later messages. */
export type AgentInput =
  /** The prompt file is the agent's stdin. */
  | 'prompt'
  /** A pipe the runner writes to: the prompt first, then messages; closing it ends the agent. */
  | 'stream'
  /** Nothing on stdin (the command line names the prompt file itself: `{promptFile}`). */
  | 'none';

export interface LaunchPlan {
  /**
   * The shell command line the runner's launcher runs, every argument quoted. `{promptFile}` is
   * where the runner puts the path of the prompt file it wrote (quoted).
   */
  command: string;
  /** The program, for the runner's check that it is on PATH. */
  program: string;
  input: AgentInput;
  /** `stream`: the first line(s) written to the agent's input (the prompt as the harness's message). */
  initialInput: string;
  /** Set in the agent's environment over what it inherits. */
  env: Record<string, string>;
  mode: AgentMode;
  /** Interactive Claude Code: mark the working directory trusted in its config before it starts. */
  trustWorkingDir: boolean;
}

export interface PlanInput {
  prompt: string;
  /** The harness conversation id Maestro chose for this session ('' when the harness chooses). */
  harnessSessionId: string;
  /** Continue this harness conversation instead of starting one. */
  resume: string;
}

/** What the runner does to the agent's input. */
export type InputAction = { write: string } | { keys: string } | { close: true };

/** What an adapter reads in one line of the agent's output. */
export type AgentSignal =
  | { kind: 'entry'; entry: Omit<TranscriptEntry, 'n' | 'at'> }
  | { kind: 'harness-session'; id: string }
  | { kind: 'usage'; usage: Partial<SessionUsage> }
  /** The harness's own running total of cost for this process. */
  | { kind: 'cost'; costUsd: number }
  /** A turn ended (the harness is idle, waiting for input or about to exit). */
  | { kind: 'turn-ended'; resultText: string; isError: boolean }
  | { kind: 'limit'; limit: UsageLimit };

export interface OutputParser {
  /** One line of output (without its line break). */
  line(text: string): AgentSignal[];
}

export interface AgentAdapter {
  readonly name: string;
  plan(profile: AgentProfile, input: PlanInput): LaunchPlan;
  parser(profile: AgentProfile, previous: SessionUsage | null): OutputParser;
  /** How a message reaches a running agent; null when the harness cannot take one while it runs. */
  message(profile: AgentProfile, text: string): InputAction | null;
  /** How the agent is ended cleanly once its work is done; null to let it exit by itself. */
  finish(profile: AgentProfile): InputAction | null;
  /** Whether `resume` can continue a conversation (the harness has a resume flag). */
  readonly resumable: boolean;
  /** The version flag (`--version`), for `maestro agent list`. */
  readonly versionArgs: readonly string[];
}

/** Tool results and inputs are kept to this size in a transcript. */
export const MAX_ENTRY_TEXT = 4000;

export function clip(text: string, max = MAX_ENTRY_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

export function entry(
  kind: TranscriptEntry['kind'],
  text: string,
  extra: Partial<Pick<TranscriptEntry, 'tool' | 'input' | 'isError'>> = {},
): AgentSignal {
  return {
    kind: 'entry',
    entry: {
      kind,
      text: clip(text),
      tool: extra.tool ?? '',
      input: clip(extra.input ?? ''),
      isError: !!extra.isError,
    },
  };
}

/** Quotes a string for /bin/sh: any byte but NUL stays data. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A command line of quoted words (the `{promptFile}` placeholder stays where it is). */
export const commandLine = (words: readonly string[]) => words.map(shellQuote).join(' ');

/** Lines that are not JSON: shown as raw output in the transcript. */
export function parseJsonLine(text: string): Record<string, unknown> | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
