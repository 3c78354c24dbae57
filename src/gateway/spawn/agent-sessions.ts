import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  ADAPTERS,
  ProfileError,
  agentCatalog,
  type AgentAdapter,
  type AgentCatalog,
  type AgentProfile,
  type AgentSignal,
  type InputAction,
  type LaunchPlan,
  type OutputParser,
} from '../../agents/index.js';
import type { AgentProfileView } from '../../contract/operations.js';
import type { SessionUsage, TranscriptEntry, UsageLimit } from '../../contract/views.js';
import { MaestroError, invalidArgument } from '../../services/errors.js';
import type { Services } from '../../services/index.js';
import type { SessionView } from '../../services/views.js';
import { Background } from '../../shared/background.js';
import type { Logger } from '../logger.js';

const run = promisify(execFile);

/** Output lines longer than this are cut before they are parsed (a harness line is far shorter). */
const MAX_LINE = 4 * 1024 * 1024;

interface Live {
  profile: AgentProfile;
  adapter: AgentAdapter;
  parser: OutputParser;
  /** The part of the output after the last line break. */
  partial: string;
  /** Entries the transcript holds. */
  count: number;
  /** The session's input is closed (the agent was told to finish). */
  finished: boolean;
  /** Agent reports are recorded one after another, in the order the output said them. */
  reports: Promise<unknown>;
  /** Cost of the session's earlier processes (before a pause): a harness reports its own process's. */
  costBase: number;
}

export interface AgentSessionsOptions {
  /** `$MAESTRO_HOME/sessions/<id>/` holds each session's transcript. */
  sessionDir(sessionId: string): string;
  catalog: { agents: Record<string, unknown>; defaultAgent: string; agentCommand: string };
  /** The environment the server's own runner gives agents (for `agent list`). */
  environment: Readonly<Record<string, string | undefined>>;
  /** Sends an input action to the runner of a session; false when no runner has it. */
  sendInput(sessionId: string, action: InputAction): boolean;
}

/**
 * The agent side of sessions, on the server: which profile and adapter a session runs, the launch
 * plan its runner gets, and what its harness's structured output says — the transcript
 * (`sessions/<id>/transcript.jsonl`), usage and cost, the harness's conversation id, limits —
 * recorded as it comes. Also steering (`session send`) and the clean end of an agent whose work is
 * done. One place per harness fact: the adapters in src/agents.
 */
export class AgentSessions {
  readonly catalog: AgentCatalog;
  private readonly live = new Map<string, Live>();
  private readonly views = new Map<string, SessionView>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly listeners = new Set<(sessionId: string, entry: TranscriptEntry) => void>();
  private readonly jobs: Background;

  constructor(
    private readonly services: Services,
    private readonly options: AgentSessionsOptions,
    private readonly log: Logger,
  ) {
    try {
      this.catalog = agentCatalog(options.catalog);
    } catch (error) {
      if (error instanceof ProfileError) throw invalidArgument(error.field, error.message);
      throw error;
    }
    this.jobs = new Background((what, error) => log.error(`${what} failed`, { error: String(error) }));
  }

  /** A configured profile, by name ('' = the default); unknown names are refused with the list. */
  profile(name: string | undefined): AgentProfile {
    const key = name || this.catalog.defaultAgent;
    const profile = this.catalog.profiles[key];
    if (!profile) {
      const known = Object.keys(this.catalog.profiles);
      throw new MaestroError(
        'invalid_argument',
        `There is no agent profile '${key}' on this server.`,
        `Known profiles: ${known.join(', ')} (maestro agent list).`,
        { field: 'agent', accepted: known },
      );
    }
    return profile;
  }

  adapterOf(profile: AgentProfile): AgentAdapter {
    return ADAPTERS[profile.adapter];
  }

  /** The launch plan for a session's agent. */
  plan(session: SessionView, prompt: string): LaunchPlan {
    const profile = this.profile(session.agent);
    // A session resumed (`session resume`) or started again after a usage-limit pause continues
    // its harness conversation.
    const continues = session.resumedFrom !== '' || session.resumes > 0;
    const resume = continues && session.harnessSessionId ? session.harnessSessionId : '';
    return this.adapterOf(profile).plan(profile, {
      prompt,
      harnessSessionId: resume ? '' : session.harnessSessionId,
      resume,
    });
  }

  /** Remembers a session as it is dispatched, so that its output needs no read to be understood. */
  dispatched(session: SessionView): void {
    this.views.set(session.id, session);
  }

  /** A session's output from its runner: split into lines, read by its adapter, recorded, in order. */
  output(sessionId: string, data: string): void {
    this.serially(sessionId, async () => {
      const live = await this.liveFor(sessionId);
      if (!live) return;
      let text = live.partial + data;
      const lines = text.split('\n');
      text = lines.pop() ?? '';
      live.partial = text.length > MAX_LINE ? text.slice(0, MAX_LINE) : text;
      for (const raw of lines) this.read(sessionId, live, raw.replace(/\r$/, ''));
    });
  }

  /**
   * Resolves once everything the session's output said so far is recorded: the runner ships the
   * last output before it reports the exit, and the exit's outcome depends on it (a usage limit).
   * The last partial line is read too.
   */
  async settled(sessionId: string): Promise<void> {
    this.serially(sessionId, async () => {
      const live = this.live.get(sessionId);
      if (live?.partial.trim()) {
        this.read(sessionId, live, live.partial.replace(/\r$/, ''));
        live.partial = '';
      }
    });
    await this.chains.get(sessionId);
    await this.live.get(sessionId)?.reports;
  }

  /**
   * The session ended, or paused (its process gone): its state here is dropped (its transcript
   * stays on disk, and a resumed process appends to it).
   */
  ended(sessionId: string): void {
    this.serially(sessionId, async () => {
      this.live.delete(sessionId);
      this.views.delete(sessionId);
      this.chains.delete(sessionId);
    });
  }

  private serially(sessionId: string, work: () => Promise<void>): void {
    const next = (this.chains.get(sessionId) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) =>
        this.log.warn('reading agent output failed', { sessionId, error: String(error) }),
      );
    this.chains.set(sessionId, next);
  }

  private async liveFor(sessionId: string): Promise<Live | undefined> {
    const known = this.live.get(sessionId);
    if (known) return known;
    let view = this.views.get(sessionId);
    if (!view) {
      try {
        view = await this.services.sessions.get(sessionId);
      } catch {
        return undefined;
      }
      this.views.set(sessionId, view);
    }
    return this.liveOf(view);
  }

  private liveOf(session: SessionView): Live | undefined {
    let live = this.live.get(session.id);
    if (live) return live;
    let profile: AgentProfile;
    try {
      profile = this.profile(session.agent);
    } catch {
      return undefined;
    }
    const adapter = this.adapterOf(profile);
    live = {
      profile,
      adapter,
      parser: adapter.parser(profile, session.resumedFrom ? session.usage : null),
      partial: '',
      count: this.countEntries(session.id),
      finished: false,
      reports: Promise.resolve(),
      costBase: session.resumes > 0 ? session.usage.costUsd : 0,
    };
    this.live.set(session.id, live);
    return live;
  }

  private read(sessionId: string, live: Live, line: string): void {
    let signals: AgentSignal[];
    try {
      signals = live.parser.line(line);
    } catch (error) {
      this.log.warn('agent output could not be read', { sessionId, error: String(error) });
      return;
    }
    const report: {
      usage?: Partial<SessionUsage>;
      costUsd?: number;
      harnessSessionId?: string;
      resultText?: string;
      usageLimit?: UsageLimit;
    } = {};
    let turnEnded = false;
    for (const signal of signals) {
      switch (signal.kind) {
        case 'entry':
          this.append(sessionId, live, signal.entry);
          break;
        case 'harness-session':
          if (signal.id !== this.views.get(sessionId)?.harnessSessionId) report.harnessSessionId = signal.id;
          break;
        case 'usage':
          report.usage = addPartial(report.usage ?? {}, signal.usage);
          break;
        case 'cost':
          report.costUsd = live.costBase + signal.costUsd;
          break;
        case 'limit':
          report.usageLimit = signal.limit;
          break;
        case 'turn-ended':
          report.resultText = signal.resultText;
          turnEnded = true;
          break;
      }
    }
    if (Object.keys(report).length) {
      const recorded = live.reports.then(() =>
        this.services.sessions.recordAgentReport(sessionId, report).catch((error: unknown) => {
          if (!(error instanceof MaestroError && error.code === 'session_not_found'))
            this.log.warn('recording agent usage failed', { sessionId, error: String(error) });
        }),
      );
      live.reports = recorded;
      this.jobs.run('recording agent usage', () => recorded);
    }
    // A headless agent that ended its turn has done what it will do: its input is closed so that it
    // exits (a message sent during the turn reached it in that turn).
    if (turnEnded) this.finish(sessionId, live);
  }

  private finish(sessionId: string, live: Live): void {
    if (live.finished) return;
    const action = live.adapter.finish(live.profile);
    if (!action) return;
    live.finished = true;
    this.options.sendInput(sessionId, action);
  }

  /**
   * Ends an interactive agent cleanly once its task is done (headless ones end after their turn):
   * `/exit` typed into its terminal.
   */
  taskDone(session: SessionView): void {
    const live = this.liveOf(session);
    if (!live || live.profile.mode !== 'interactive') return;
    this.finish(session.id, live);
  }

  /** Delivers a message to a running session's agent; recorded in its transcript. */
  send(session: SessionView, text: string, from: string): { delivered: boolean; note: string } {
    const live = this.liveOf(session);
    const profile = live?.profile ?? this.profile(session.agent);
    const adapter = this.adapterOf(profile);
    const action = adapter.message(profile, text);
    let delivered = false;
    let note: string;
    if (!action) {
      note = adapter.resumable
        ? `${profile.adapter} takes no message while it runs: it is kept and given to the agent when the session is resumed (maestro session resume ${session.id}).`
        : `${profile.adapter} agents take no messages.`;
    } else if (live?.finished) {
      note = `The agent has finished its turn; resume the session to continue (maestro session resume ${session.id}).`;
    } else {
      delivered = this.options.sendInput(session.id, action);
      note = delivered ? 'Delivered to the running agent.' : 'No runner has this session now.';
    }
    if (!delivered) this.keepForResume(session.id, text);
    if (live)
      this.append(session.id, live, {
        kind: 'user',
        text: `[${from}] ${text}`,
        tool: '',
        input: '',
        isError: false,
      });
    return { delivered, note };
  }

  /** Messages kept for a session's resume (harnesses that take none while they run). */
  pendingMessages(sessionId: string): string[] {
    const path = join(this.options.sessionDir(sessionId), 'pending-messages.jsonl');
    if (!existsSync(path)) return [];
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => String(JSON.parse(l)));
  }

  private keepForResume(sessionId: string, text: string): void {
    mkdirSync(this.options.sessionDir(sessionId), { recursive: true, mode: 0o700 });
    appendFileSync(
      join(this.options.sessionDir(sessionId), 'pending-messages.jsonl'),
      JSON.stringify(text) + '\n',
      {
        mode: 0o600,
      },
    );
  }

  private append(sessionId: string, live: Live, partial: Omit<TranscriptEntry, 'n' | 'at'>): void {
    const entry: TranscriptEntry = { n: ++live.count, at: new Date().toISOString(), ...partial };
    try {
      mkdirSync(this.options.sessionDir(sessionId), { recursive: true, mode: 0o700 });
      appendFileSync(
        join(this.options.sessionDir(sessionId), 'transcript.jsonl'),
        JSON.stringify(entry) + '\n',
        {
          mode: 0o600,
        },
      );
    } catch (error) {
      this.log.warn('writing a transcript failed', { sessionId, error: String(error) });
    }
    for (const listener of this.listeners) listener(sessionId, entry);
  }

  onTranscript(listener: (sessionId: string, entry: TranscriptEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Entries after `after`, at most `limit`, and how many there are. */
  transcript(sessionId: string, after = 0, limit = 1000): { entries: TranscriptEntry[]; total: number } {
    const all = this.readTranscript(sessionId);
    return { entries: all.filter((e) => e.n > after).slice(0, limit), total: all.length };
  }

  private readTranscript(sessionId: string): TranscriptEntry[] {
    const path = join(this.options.sessionDir(sessionId), 'transcript.jsonl');
    if (!existsSync(path)) return [];
    const out: TranscriptEntry[] = [];
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as TranscriptEntry);
      } catch {
        // a line cut by a crash: the rest still counts
      }
    }
    return out;
  }

  private countEntries(sessionId: string): number {
    const all = this.readTranscript(sessionId);
    return all.length ? all[all.length - 1]!.n : 0;
  }

  /** The profiles, each with whether its program is found (on this server's PATH) and its version. */
  async list(): Promise<{ agents: AgentProfileView[]; defaultAgent: string; checkedOn: string }> {
    const env = Object.fromEntries(
      Object.entries(this.options.environment).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const agents = await Promise.all(
      Object.values(this.catalog.profiles).map(async (p) => {
        const adapter = this.adapterOf(p);
        const program = p.adapter === 'command' ? (p.command.trim().split(/\s+/)[0] ?? '') : p.command;
        let path = '';
        let version = '';
        try {
          path = (
            await run('/bin/sh', ['-c', 'command -v "$1"', 'sh', program], { env, timeout: 5000 })
          ).stdout.trim();
        } catch {
          path = '';
        }
        if (path && adapter.versionArgs.length) {
          try {
            version =
              (await run(path, [...adapter.versionArgs], { env, timeout: 10_000 })).stdout
                .trim()
                .split('\n')[0] ?? '';
          } catch {
            version = '';
          }
        }
        return {
          name: p.name,
          adapter: p.adapter,
          command: p.command,
          args: [...p.args],
          permissions: typeof p.permissions === 'string' ? p.permissions : p.permissions.join(','),
          model: p.model,
          mode: p.mode,
          isDefault: p.name === this.catalog.defaultAgent,
          found: path !== '',
          path,
          version,
          env: Object.keys(p.env).sort(),
        };
      }),
    );
    return { agents, defaultAgent: this.catalog.defaultAgent, checkedOn: hostname() };
  }
}

function addPartial(a: Partial<SessionUsage>, b: Partial<SessionUsage>): Partial<SessionUsage> {
  const out: Partial<SessionUsage> = { ...a };
  for (const [k, v] of Object.entries(b) as [keyof SessionUsage, number][]) out[k] = (out[k] ?? 0) + v;
  return out;
}
