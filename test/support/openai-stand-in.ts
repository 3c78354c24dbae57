import {
  RecordingServer,
  type HttpReply,
  type RecordedRequest,
  type Unscripted,
} from './recording-server.js';

export type { RecordedRequest, Unscripted } from './recording-server.js';

/**
 * A scripted stand-in for the OpenAI Responses API (`POST /v1/responses`, streamed as SSE), as the
 * real Codex CLI uses it through a custom model provider. Tests script what "the model" answers,
 * turn by turn; every request is recorded. Only the model is fake; Codex is the real one. See
 * docs/agents-harness-notes.md for the provider configuration Codex 0.169.0 needs.
 */

/** Token counts one response declares; Codex should report exactly these. */
export interface ResponsesUsage {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens?: number;
  reasoning_output_tokens?: number;
}

export type OutputItem =
  | { type: 'message'; text: string }
  | { type: 'function_call'; callId: string; name: string; arguments: Record<string, unknown> };

export interface ResponseReply {
  kind: 'response';
  output: OutputItem[];
  usage: ResponsesUsage;
}

/** An HTTP error with an OpenAI error body (`{error: {message, type, code}}`). */
export interface ResponsesErrorReply {
  kind: 'error';
  status: number;
  body: { error: Record<string, unknown> };
  headers: Record<string, string>;
}

/** A stream that starts and then ends with `response.failed`. */
export interface ResponseFailedReply {
  kind: 'failed';
  code: string;
  message: string;
}

export type ResponsesReply = ResponseReply | ResponsesErrorReply | ResponseFailedReply;

/** An input item Codex sent; only the fields tests read are typed. */
export interface InputItem {
  type: string;
  role?: string;
  content?: { type: string; text?: string }[] | string;
  call_id?: string;
  name?: string;
  arguments?: string;
  output?: string | { type: string; text?: string }[];
}

/** The JSON body of `POST /v1/responses`. */
export interface ResponsesBody {
  model: string;
  stream?: boolean;
  input: InputItem[];
  tools?: { type: string; name?: string }[];
  [field: string]: unknown;
}

export interface ResponsesCall {
  index: number;
  request: RecordedRequest;
  body: ResponsesBody;
}

export type ResponsesTurn =
  ResponsesReply | ((call: ResponsesCall) => ResponsesReply | Promise<ResponsesReply>);

const DEFAULT_USAGE: ResponsesUsage = {
  input_tokens: 10,
  output_tokens: 5,
  cached_input_tokens: 0,
  reasoning_output_tokens: 0,
};

let callCounter = 0;

function usageOf(usage: Partial<ResponsesUsage> | undefined): ResponsesUsage {
  return { ...DEFAULT_USAGE, ...usage };
}

/** The model answers with a final message and ends its turn. */
export function reply(text: string, usage?: Partial<ResponsesUsage>): ResponseReply {
  return { kind: 'response', output: [{ type: 'message', text }], usage: usageOf(usage) };
}

/** The model calls a function tool; Codex runs it and calls again with a `function_call_output`. */
export function functionCall(
  name: string,
  args: Record<string, unknown>,
  options: { text?: string; callId?: string; usage?: Partial<ResponsesUsage> } = {},
): ResponseReply {
  const callId = options.callId ?? `call_standin_${String(++callCounter).padStart(4, '0')}`;
  const output: OutputItem[] = [];
  if (options.text !== undefined) output.push({ type: 'message', text: options.text });
  output.push({ type: 'function_call', callId, name, arguments: args });
  return { kind: 'response', output, usage: usageOf(options.usage) };
}

/** The model runs a shell command through Codex's `exec_command` tool. */
export function shell(
  command: string,
  options: { text?: string; callId?: string; usage?: Partial<ResponsesUsage> } = {},
): ResponseReply {
  return functionCall('exec_command', { cmd: command }, options);
}

/** An HTTP error as the API sends it. */
export function responsesError(
  status: number,
  error: Record<string, unknown>,
  headers: Record<string, string> = {},
): ResponsesErrorReply {
  return { kind: 'error', status, body: { error }, headers };
}

/** A 429 rate limit with the `retry-after` the real API sends. */
export function rateLimited(options: { retryAfterSeconds?: number } = {}): ResponsesErrorReply {
  const retryAfter = options.retryAfterSeconds ?? 1;
  return responsesError(
    429,
    {
      message: 'Rate limit reached for requests',
      type: 'requests',
      code: 'rate_limit_exceeded',
      param: null,
    },
    { 'retry-after': String(retryAfter), 'x-ratelimit-reset-requests': `${retryAfter}s` },
  );
}

/**
 * The plan's usage limit with the time it resets, as the ChatGPT-backed Responses API reports it
 * (`usage_limit_reached`, `resets_at` in Unix seconds).
 */
export function usageLimitReached(options: { resetsAt: Date; planType?: string }): ResponsesErrorReply {
  const resetsAt = Math.floor(options.resetsAt.getTime() / 1000);
  return responsesError(429, {
    type: 'usage_limit_reached',
    message: 'The usage limit has been reached',
    plan_type: options.planType ?? 'plus',
    resets_at: resetsAt,
    resets_in_seconds: Math.max(0, resetsAt - Math.floor(Date.now() / 1000)),
  });
}

/** A stream that fails after it started (`response.failed`). */
export function responseFailed(code: string, message: string): ResponseFailedReply {
  return { kind: 'failed', code, message };
}

function textOf(content: InputItem['content'] | InputItem['output']): string {
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .map((c) => c.text ?? '')
    .filter((t) => t !== '')
    .join('\n');
}

/** The outputs of the function calls Codex ran, as it sent them back in this call. */
export function functionOutputs(body: ResponsesBody): { callId: string; output: string }[] {
  return body.input
    .filter((i) => i.type === 'function_call_output')
    .map((i) => ({ callId: i.call_id ?? '', output: textOf(i.output) }));
}

/** The text of every user message in a call, one entry per message. */
export function userInputs(body: ResponsesBody): string[] {
  return body.input.filter((i) => i.type === 'message' && i.role === 'user').map((i) => textOf(i.content));
}

/** All text a call carries (messages of every role and function outputs), for "did X reach the model". */
export function inputText(body: ResponsesBody): string {
  return body.input
    .map((i) => (i.type === 'function_call_output' ? textOf(i.output) : textOf(i.content)))
    .join('\n');
}

function sse(data: { type: string; [field: string]: unknown }): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

function usageJson(usage: ResponsesUsage): unknown {
  const { input_tokens, output_tokens, cached_input_tokens = 0, reasoning_output_tokens = 0 } = usage;
  return {
    input_tokens,
    input_tokens_details: { cached_tokens: cached_input_tokens },
    output_tokens,
    output_tokens_details: { reasoning_tokens: reasoning_output_tokens },
    total_tokens: input_tokens + output_tokens,
  };
}

function responseEvents(reply: ResponseReply, model: string, id: string): string[] {
  let seq = 0;
  const base = { id, object: 'response', created_at: Math.floor(Date.now() / 1000), model };
  const events = [
    sse({
      type: 'response.created',
      sequence_number: seq++,
      response: { ...base, status: 'in_progress', output: [] },
    }),
    sse({
      type: 'response.in_progress',
      sequence_number: seq++,
      response: { ...base, status: 'in_progress', output: [] },
    }),
  ];
  const done: unknown[] = [];
  reply.output.forEach((item, outputIndex) => {
    if (item.type === 'message') {
      const itemId = `msg_${id}_${outputIndex}`;
      const part = { type: 'output_text', text: item.text, annotations: [] };
      const full = { type: 'message', id: itemId, status: 'completed', role: 'assistant', content: [part] };
      events.push(
        sse({
          type: 'response.output_item.added',
          sequence_number: seq++,
          output_index: outputIndex,
          item: { ...full, status: 'in_progress', content: [] },
        }),
        sse({
          type: 'response.content_part.added',
          sequence_number: seq++,
          item_id: itemId,
          output_index: outputIndex,
          content_index: 0,
          part: { ...part, text: '' },
        }),
        sse({
          type: 'response.output_text.delta',
          sequence_number: seq++,
          item_id: itemId,
          output_index: outputIndex,
          content_index: 0,
          delta: item.text,
        }),
        sse({
          type: 'response.output_text.done',
          sequence_number: seq++,
          item_id: itemId,
          output_index: outputIndex,
          content_index: 0,
          text: item.text,
        }),
        sse({
          type: 'response.content_part.done',
          sequence_number: seq++,
          item_id: itemId,
          output_index: outputIndex,
          content_index: 0,
          part,
        }),
        sse({
          type: 'response.output_item.done',
          sequence_number: seq++,
          output_index: outputIndex,
          item: full,
        }),
      );
      done.push(full);
    } else {
      const itemId = `fc_${id}_${outputIndex}`;
      const args = JSON.stringify(item.arguments);
      const full = {
        type: 'function_call',
        id: itemId,
        call_id: item.callId,
        name: item.name,
        arguments: args,
        status: 'completed',
      };
      events.push(
        sse({
          type: 'response.output_item.added',
          sequence_number: seq++,
          output_index: outputIndex,
          item: { ...full, arguments: '', status: 'in_progress' },
        }),
        sse({
          type: 'response.function_call_arguments.delta',
          sequence_number: seq++,
          item_id: itemId,
          output_index: outputIndex,
          delta: args,
        }),
        sse({
          type: 'response.function_call_arguments.done',
          sequence_number: seq++,
          item_id: itemId,
          output_index: outputIndex,
          arguments: args,
        }),
        sse({
          type: 'response.output_item.done',
          sequence_number: seq++,
          output_index: outputIndex,
          item: full,
        }),
      );
      done.push(full);
    }
  });
  events.push(
    sse({
      type: 'response.completed',
      sequence_number: seq++,
      response: { ...base, status: 'completed', output: done, usage: usageJson(reply.usage) },
    }),
  );
  return events;
}

/**
 * The stand-in server. `script` is consumed one turn per `POST /v1/responses`; when it runs out the
 * stand-in answers "no scripted turn left" and records the call in `unscripted`.
 */
export class OpenAIStandIn {
  readonly requests: RecordedRequest[];
  readonly calls: ResponsesCall[] = [];
  readonly replies: ResponsesReply[] = [];
  readonly unscripted: Unscripted[];
  private readonly script: ResponsesTurn[];
  private readonly http: RecordingServer;
  private responseCounter = 0;

  private constructor(script: ResponsesTurn[]) {
    this.script = [...script];
    this.http = new RecordingServer(
      (request) => this.answer(request),
      (message) => ({ error: { message, type: 'server_error' } }),
    );
    this.requests = this.http.requests;
    this.unscripted = this.http.unscripted;
  }

  /** Starts a stand-in on 127.0.0.1, port 0. */
  static async start(script: ResponsesTurn[] = []): Promise<OpenAIStandIn> {
    const standIn = new OpenAIStandIn(script);
    await standIn.http.listen();
    return standIn;
  }

  /** `http://127.0.0.1:PORT/v1`, the provider's `base_url`. */
  get url(): string {
    return `${this.http.origin}/v1`;
  }

  push(...turns: ResponsesTurn[]): void {
    this.script.push(...turns);
  }

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
        'x-request-id': `req_standin_${this.requests.length}`,
        ...headers,
      },
      chunks: [JSON.stringify(value)],
    });
    const path = request.url.split('?')[0];
    if (request.method === 'GET' && path === '/v1/models') {
      return json(200, { object: 'list', data: [] });
    }
    if (request.method !== 'POST' || path !== '/v1/responses') {
      this.unscripted.push({ request, reason: `no route for ${request.method} ${path}` });
      return json(404, { error: { message: `Not found: ${path}`, type: 'invalid_request_error' } });
    }
    const body = request.body as ResponsesBody | undefined;
    if (!body || !Array.isArray(body.input)) {
      this.unscripted.push({ request, reason: 'a responses call without an input array' });
      return json(400, { error: { message: 'input: required', type: 'invalid_request_error' } });
    }
    const call: ResponsesCall = { index: this.calls.length, request, body };
    this.calls.push(call);
    const turn = this.script.shift();
    let answer: ResponsesReply;
    if (turn === undefined) {
      this.unscripted.push({ request, reason: `responses call ${call.index} has no scripted turn` });
      answer = reply('(stand-in: no scripted turn left)', { input_tokens: 0, output_tokens: 0 });
    } else {
      answer = typeof turn === 'function' ? await turn(call) : turn;
    }
    this.replies.push(answer);
    const id = `resp_standin_${String(++this.responseCounter).padStart(4, '0')}`;
    if (answer.kind === 'error') return json(answer.status, answer.body, answer.headers);
    const sseHeaders = {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-request-id': `req_${id}`,
    };
    if (answer.kind === 'failed') {
      const base = { id, object: 'response', created_at: Math.floor(Date.now() / 1000), model: body.model };
      return {
        status: 200,
        headers: sseHeaders,
        chunks: [
          sse({
            type: 'response.created',
            sequence_number: 0,
            response: { ...base, status: 'in_progress', output: [] },
          }),
          sse({
            type: 'response.failed',
            sequence_number: 1,
            response: {
              ...base,
              status: 'failed',
              output: [],
              error: { code: answer.code, message: answer.message },
            },
          }),
        ],
      };
    }
    return { status: 200, headers: sseHeaders, chunks: responseEvents(answer, body.model, id) };
  }
}
