import type { WireEvent } from '../src/contract/views.js';
import { waitKindOf, type WaitKind } from '../src/contract/wait.js';
import type { MaestroClient } from './client.js';
import { cliError } from './errors.js';

/**
 * Waiting for what an orchestrator waits for (a task done, a session failed, a task blocked, a
 * question, a task for review): `maestro wait` and the MCP server's `wait` tool.
 */

/** The exit code of `maestro wait` when no matching event came within --timeout. */
export const WAIT_TIMEOUT_EXIT = 8;

function tasksOf(e: WireEvent, data: Record<string, unknown>): string[] {
  if (e.entityType === 'task') return [e.entityId];
  const session = data.session as { taskIds?: string[] } | undefined;
  return session?.taskIds ?? [];
}

export interface WaitRequest {
  /** What to wait for (empty or `any`: every kind). */
  kinds: readonly string[];
  /** Only events of these tasks, or of sessions working on them (empty: any task). */
  tasks: readonly string[];
  timeoutSeconds?: number;
}

export interface WaitedEvent {
  seq: number;
  type: string;
  kind: WaitKind;
  entityType: string;
  entityId: string;
  projectId: string;
  data: unknown;
  createdAt: string;
}

export type WaitResult = { timedOut: true; event: null } | { timedOut: false; event: WaitedEvent };

/**
 * The first matching event after the call (what happened before it is not waited for), or
 * `timedOut` after `timeoutSeconds`. A stream that fails or ends (the server gone) rejects: it is
 * not a timeout.
 */
export async function waitForEvent(client: MaestroClient, request: WaitRequest): Promise<WaitResult> {
  const kinds = new Set(request.kinds.length ? request.kinds : ['any']);
  const tasks = new Set(request.tasks);
  const { lastSeq } = await client.op('whoami', {});
  let timer: NodeJS.Timeout | undefined;
  let found: { e: WireEvent; kind: WaitKind; data: Record<string, unknown> } | undefined;
  let watch: { done: Promise<void>; cancel(): void } | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      watch = client.watch(lastSeq, (raw) => {
        if (found) return;
        const e = raw as unknown as WireEvent;
        const kind = waitKindOf(e);
        if (!kind || (!kinds.has('any') && !kinds.has(kind))) return;
        const data = JSON.parse(e.dataJson) as Record<string, unknown>;
        if (tasks.size && !tasksOf(e, data).some((t) => tasks.has(t))) return;
        found = { e, kind, data };
        resolve();
      });
      // The stream ends by itself only when the server stops: neither an event nor a timeout.
      watch.done.then(
        () =>
          reject(
            cliError(
              'server_unavailable',
              'The server ended the event stream before a matching event.',
              'Wait again once the server is back.',
            ),
          ),
        reject,
      );
      if (request.timeoutSeconds !== undefined) timer = setTimeout(resolve, request.timeoutSeconds * 1000);
    });
  } finally {
    clearTimeout(timer);
    watch?.cancel();
  }
  if (!found) return { timedOut: true, event: null };
  const { e, kind, data } = found;
  return {
    timedOut: false,
    event: {
      seq: e.seq,
      type: e.type,
      kind,
      entityType: e.entityType,
      entityId: e.entityId,
      projectId: e.projectId,
      data,
      createdAt: e.createdAt,
    },
  };
}
