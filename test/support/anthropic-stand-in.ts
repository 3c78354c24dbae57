import {
  RecordingServer,
  type HttpReply,
  type RecordedRequest,
  type Unscripted,
} from './recording-server.js';

export type { RecordedRequest, Unscripted } from './recording-server.js';

/**
 * A scripted stand-in for the Anthropic Messages API, as the real Claude Code CLI uses it: tests
 * point `ANTHROPIC_BASE_URL` at it and script what "the model" answers, turn by turn. Everything
 * the harness sends is recorded so a test can assert on it. Only the model is fake; the harness is
 * the real one. See docs/agents-harness-notes.md for what Claude Code 2.1.328 calls.
 */

/** Token counts one response declares; the harness should report exactly these. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** An assistant message, streamed as SSE (or sent as one JSON body when the request asks so). */
export interface MessageReply {
  kind: 'message';
  content: ContentBlock[];
  stopReason: 'end_turn' | 'tool_use' | 'max_tokens';
  usage: Usage;
}

/** An HTTP error with an Anthropic error body (`{type: "error", error: {type, message}}`). */
export interface ErrorReply {
  kind: 'error';
  status: number;
  errorType: string;
  message: string;
  headers: Record<string, string>;
}

/** A stream that starts (200, message_start) and then carries an SSE `error` event. */
export interface StreamErrorReply {
  kind: 'stream-error';
  errorType: string;
  message: string;
}

export type Reply = MessageReply | ErrorReply | StreamErrorReply;

/** A block of the messages Claude Code sent; only the fields tests read are typed. */
export interface RequestBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: string | RequestBlock[];
  is_error?: boolean;
}

export interface RequestMessage {
  role: string;
  content: string | RequestBlock[];
}

/** The JSON body of `POST /v1/messages`. */
export interface MessagesBody {
  model: string;
  stream?: boolean;
  max_tokens?: number;
  messages: RequestMessage[];
  system?: unknown;
  tools?: { name: string }[];
  [field: string]: unknown;
}

export interface ToolResult {
  toolUseId: string;
  /** The result's text (text blocks joined with newlines). */
  text: string;
  isError: boolean;
}

/** A model call (a `POST /v1/messages`) as a scripted turn sees it. */
export interface ModelCall {
  /** 0-based position among the model calls this stand-in answered. */
  index: number;
  request: RecordedRequest;
  body: MessagesBody;
}

/** A scripted turn: a fixed reply, or one computed from the call (e.g. from its tool results). */
export type Turn = Reply | ((call: ModelCall) => Reply | Promise<Reply>);

const DEFAULT_USAGE: Usage = {
  input_tokens: 10,
  output_tokens: 5,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
};

let toolUseCounter = 0;

function usageOf(usage: Partial<Usage> | undefined): Usage {
  return { ...DEFAULT_USAGE, ...usage };
}

/** The model answers with text and ends its turn. */
export function say(text: string, usage?: Partial<Usage>): MessageReply {
  return {
    kind: 'message',
    content: [{ type: 'text', text }],
    stopReason: 'end_turn',
    usage: usageOf(usage),
  };
}

/** The model calls a tool (optionally after some text); the harness runs it and calls again. */
export function toolUse(
  name: string,
  input: Record<string, unknown>,
  options: { text?: string; id?: string; usage?: Partial<Usage> } = {},
): MessageReply {
  const id = options.id ?? `toolu_standin_${String(++toolUseCounter).padStart(4, '0')}`;
  const content: ContentBlock[] = [];
  if (options.text !== undefined) content.push({ type: 'text', text: options.text });
  content.push({ type: 'tool_use', id, name, input });
  return { kind: 'message', content, stopReason: 'tool_use', usage: usageOf(options.usage) };
}

/** The model runs a shell command through Claude Code's `Bash` tool. */
export function bash(
  command: string,
  options: { text?: string; id?: string; usage?: Partial<Usage>; description?: string } = {},
): MessageReply {
  return toolUse('Bash', { command, description: options.description ?? 'Run a command' }, options);
}

/** An HTTP error as the API sends it. */
export function apiError(
  status: number,
  errorType: string,
  message: string,
  headers: Record<string, string> = {},
): ErrorReply {
  return { kind: 'error', status, errorType, message, headers };
}

/** A plain 429 `rate_limit_error`, with `retry-after` so the harness waits that long before retrying. */
export function rateLimitError(options: { retryAfterSeconds?: number } = {}): ErrorReply {
  const retryAfter = options.retryAfterSeconds ?? 1;
  const reset = new Date(Date.now() + retryAfter * 1000).toISOString();
  return apiError(
    429,
    'rate_limit_error',
    "This request would exceed your account's rate limit. Please try again later.",
    {
      'retry-after': String(retryAfter),
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': reset,
    },
  );
}

/**
 * A usage limit (the subscription's 5-hour or weekly allowance) with the time it resets: a 429 with
 * the `anthropic-ratelimit-unified-*` headers Claude Code reads to say "You've hit your limit ·
 * resets …" and to emit a `rate_limit_event` with `resetsAt`.
 */
export function usageLimitError(options: {
  resetsAt: Date;
  claim?: 'five_hour' | 'seven_day' | 'seven_day_opus' | 'seven_day_sonnet';
}): ErrorReply {
  const reset = String(Math.floor(options.resetsAt.getTime() / 1000));
  const claim = options.claim ?? 'five_hour';
  const retryAfter = Math.max(0, Math.ceil((options.resetsAt.getTime() - Date.now()) / 1000));
  return apiError(
    429,
    'rate_limit_error',
    "This request would exceed your account's rate limit. Please try again later.",
    {
      'retry-after': String(retryAfter),
      'anthropic-ratelimit-unified-status': 'rejected',
      'anthropic-ratelimit-unified-reset': reset,
      'anthropic-ratelimit-unified-representative-claim': claim,
      [`anthropic-ratelimit-unified-${claim === 'five_hour' ? '5h' : '7d'}-status`]: 'rejected',
      [`anthropic-ratelimit-unified-${claim === 'five_hour' ? '5h' : '7d'}-reset`]: reset,
      'anthropic-ratelimit-unified-overage-status': 'rejected',
      'anthropic-ratelimit-unified-overage-disabled-reason': 'org_level_disabled',
    },
  );
}

/**
 * A credential that makes Claude Code read the `anthropic-ratelimit-unified-*` headers (and so
 * report a usage limit with its reset time) the way it does for a claude.ai subscriber: an
 * unsigned JWT whose audience is `claude-gateway`, passed as `ANTHROPIC_AUTH_TOKEN` with
 * `ANTHROPIC_BASE_URL` pointing at a non-Anthropic host. With `ANTHROPIC_API_KEY` Claude Code
 * treats the same 429 as a plain rate limit and reports no reset time.
 */
export function gatewayToken(): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 24 * 3600;
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ aud: 'claude-gateway', sub: 'stand-in', exp })}.stand-in`;
}

/** A stream that fails after it started, e.g. `overloaded_error`. */
export function streamError(errorType: string, message: string): StreamErrorReply {
  return { kind: 'stream-error', errorType, message };
}

const REMINDER = /<system-reminder>[\s\S]*?<\/system-reminder>/g;

/**
 * Text without Claude Code's `<system-reminder>` blocks: for models without mid-conversation system
 * messages (e.g. claude-sonnet-4-5) it puts its reminders into the prompt's message and appends
 * them to tool results.
 */
export function withoutReminders(text: string): string {
  return text.replace(REMINDER, '').trim();
}

/** Text of a request block or string content, text blocks joined with newlines, reminders removed. */
function textOf(content: string | RequestBlock[] | undefined): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return withoutReminders(content);
  return content
    .map((b) =>
      b.type === 'text' ? withoutReminders(b.text ?? '') : b.type === 'tool_result' ? textOf(b.content) : '',
    )
    .filter((t) => t !== '')
    .join('\n');
}

/** The messages a model call carries, with the role `user` and `assistant` ones only. */
function conversation(body: MessagesBody): RequestMessage[] {
  return body.messages.filter((m) => m.role === 'user' || m.role === 'assistant');
}

/** The tool results in the last user message of a call: what the harness got from running tools. */
export function toolResults(body: MessagesBody): ToolResult[] {
  const last = conversation(body)
    .filter((m) => m.role === 'user')
    .at(-1);
  if (!last || typeof last.content === 'string') return [];
  return last.content
    .filter((b) => b.type === 'tool_result')
    .map((b) => ({ toolUseId: b.tool_use_id ?? '', text: textOf(b.content), isError: b.is_error === true }));
}

/** All user-side text of a call (prompts, steering messages, tool results), for "did X reach the model". */
export function userText(body: MessagesBody): string {
  return conversation(body)
    .filter((m) => m.role === 'user')
    .map((m) => textOf(m.content))
    .join('\n');
}

/**
 * All text a call carries, messages of every role: Claude Code 2.1 sends some things as
 * `role: "system"` messages in the middle of the conversation (e.g. a user message that arrived
 * while the model was working: "The user sent a new message while you were working: …").
 */
export function requestText(body: MessagesBody): string {
  const raw = (content: string | RequestBlock[] | undefined): string =>
    content === undefined
      ? ''
      : typeof content === 'string'
        ? content
        : content.map((b) => (b.type === 'tool_result' ? raw(b.content) : (b.text ?? ''))).join('\n');
  return body.messages.map((m) => raw(m.content)).join('\n');
}

/** The texts of a call's user messages, one entry per message, in order. */
export function userMessages(body: MessagesBody): string[] {
  return conversation(body)
    .filter((m) => m.role === 'user')
    .map((m) => textOf(m.content));
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The SSE body of a message reply, event by event, as the Messages API streams it. */
function streamEvents(reply: MessageReply, model: string, id: string): string[] {
  const events: string[] = [];
  const {
    input_tokens,
    output_tokens,
    cache_creation_input_tokens = 0,
    cache_read_input_tokens = 0,
  } = reply.usage;
  events.push(
    sse('message_start', {
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens: 1 },
      },
    }),
    sse('ping', { type: 'ping' }),
  );
  reply.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(
        sse('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'text', text: '' },
        }),
        sse('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: block.text },
        }),
      );
    } else {
      const json = JSON.stringify(block.input);
      const cut = Math.floor(json.length / 2);
      events.push(
        sse('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        }),
        // Two partial chunks, as the API splits tool input: the harness must join them.
        sse('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: json.slice(0, cut) },
        }),
        sse('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: json.slice(cut) },
        }),
      );
    }
    events.push(sse('content_block_stop', { type: 'content_block_stop', index }));
  });
  events.push(
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: reply.stopReason, stop_sequence: null },
      usage: { output_tokens },
    }),
    sse('message_stop', { type: 'message_stop' }),
  );
  return events;
}

function messageJson(reply: MessageReply, model: string, id: string): unknown {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: reply.content,
    stop_reason: reply.stopReason,
    stop_sequence: null,
    usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...reply.usage },
  };
}

/**
 * The stand-in server. `script` is consumed one turn per model call (`POST /v1/messages`); when it
 * runs out the stand-in answers "no scripted turn left" and records the call in `unscripted`, so a
 * test can tell a harness that called more often than expected.
 */
export class AnthropicStandIn {
  /** Every HTTP request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** The model calls (`POST /v1/messages`), in arrival order. */
  readonly calls: ModelCall[] = [];
  /** The replies sent to the model calls, index for index. */
  readonly replies: Reply[] = [];
  readonly unscripted: Unscripted[];
  private readonly script: Turn[];
  private readonly http: RecordingServer;
  private messageCounter = 0;

  private constructor(script: Turn[]) {
    this.script = [...script];
    this.http = new RecordingServer(
      (request) => this.answer(request),
      (message) => ({ type: 'error', error: { type: 'api_error', message } }),
    );
    this.requests = this.http.requests;
    this.unscripted = this.http.unscripted;
  }

  /** Starts a stand-in on 127.0.0.1, port 0. */
  static async start(script: Turn[] = []): Promise<AnthropicStandIn> {
    const standIn = new AnthropicStandIn(script);
    await standIn.http.listen();
    return standIn;
  }

  /** `http://127.0.0.1:PORT`, the value for `ANTHROPIC_BASE_URL`. */
  get url(): string {
    return `${this.http.origin}`;
  }

  /** Appends turns to the script (e.g. after a first run, for a resumed one). */
  push(...turns: Turn[]): void {
    this.script.push(...turns);
  }

  /** How many scripted turns are still waiting for a model call. */
  get remaining(): number {
    return this.script.length;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async answer(request: RecordedRequest): Promise<HttpReply> {
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => ({
      status,
      headers: {
        'content-type': 'application/json',
        'request-id': `req_standin_${this.requests.length}`,
        ...headers,
      },
      chunks: [JSON.stringify(value)],
    });
    const path = request.url.split('?')[0];
    if (request.method === 'HEAD' || (request.method === 'GET' && path === '/api/hello')) {
      return { status: 200, headers: {}, chunks: [] };
    }
    if (request.method === 'GET' && path === '/v1/models') {
      return json(200, { data: [], has_more: false, first_id: null, last_id: null });
    }
    if (request.method === 'POST' && path === '/v1/messages/count_tokens') {
      return json(200, { input_tokens: Math.ceil(request.raw.length / 4) });
    }
    if (request.method !== 'POST' || path !== '/v1/messages') {
      this.unscripted.push({ request, reason: `no route for ${request.method} ${path}` });
      return json(404, { type: 'error', error: { type: 'not_found_error', message: `Not found: ${path}` } });
    }
    const body = request.body as MessagesBody | undefined;
    if (!body || !Array.isArray(body.messages)) {
      this.unscripted.push({ request, reason: 'a model call without a messages array' });
      return json(400, {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'messages: required' },
      });
    }
    const call: ModelCall = { index: this.calls.length, request, body };
    this.calls.push(call);
    const turn = this.script.shift();
    let reply: Reply;
    if (turn === undefined) {
      this.unscripted.push({ request, reason: `model call ${call.index} has no scripted turn` });
      reply = say('(stand-in: no scripted turn left)', { input_tokens: 0, output_tokens: 0 });
    } else {
      reply = typeof turn === 'function' ? await turn(call) : turn;
    }
    this.replies.push(reply);
    const id = `msg_standin_${String(++this.messageCounter).padStart(4, '0')}`;
    if (reply.kind === 'error') {
      return json(
        reply.status,
        { type: 'error', error: { type: reply.errorType, message: reply.message } },
        reply.headers,
      );
    }
    const sseHeaders = {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'request-id': `req_${id}`,
    };
    if (reply.kind === 'stream-error') {
      return {
        status: 200,
        headers: sseHeaders,
        chunks: [
          sse('message_start', {
            type: 'message_start',
            message: {
              id,
              type: 'message',
              role: 'assistant',
              model: body.model,
              content: [],
              usage: DEFAULT_USAGE,
            },
          }),
          sse('error', { type: 'error', error: { type: reply.errorType, message: reply.message } }),
        ],
      };
    }
    if (body.stream !== true) return json(200, messageJson(reply, body.model, id));
    return { status: 200, headers: sseHeaders, chunks: streamEvents(reply, body.model, id) };
  }
}
