import { NoticeTracker, type Notice } from '../contract/notifications.js';
import type { MaestroEvent, Services } from '../services/index.js';
import { Background } from '../shared/background.js';
import { backoffDelay, sleep, type BackoffPolicy } from '../shared/backoff.js';
import type { Logger } from './logger.js';

/** What a notification says, and what it is about. */
export interface Notification extends Notice {
  event: { seq: number; type: string; entityId: string; projectId: string | null };
}

export interface WebhookOptions {
  urls: readonly string[];
  /** Deliveries are tried this often at most. */
  attempts: number;
  backoff: BackoffPolicy;
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

/**
 * Notifications to webhooks (a Slack-compatible body, `{"text": ...}`, plus `maestro` with the
 * kind and the event): a worker asked a question, a task was blocked, a session failed or was
 * lost, a budget was hit, every task of a project is done. Each notification is delivered once
 * per URL, in the background, retried with the shared backoff; a URL that keeps failing is logged
 * and given up on, and never slows the server.
 */
export class Webhooks {
  private readonly jobs: Background;
  private readonly unsubscribe: () => void;
  /** What the events say, and which projects' graphs were announced done (src/contract). */
  private readonly notices = new NoticeTracker();
  private closed = false;

  constructor(
    private readonly services: Services,
    private readonly options: WebhookOptions,
    private readonly log: Logger,
  ) {
    this.jobs = new Background((what, error) => log.warn(`${what} failed`, { error: String(error) }));
    this.unsubscribe = services.bus.subscribe((events) => {
      for (const e of events) this.consider(e);
    });
  }

  private consider(e: MaestroEvent): void {
    const event = { seq: e.seq, type: e.type, entityId: e.entityId, projectId: e.projectId };
    const { notice, checkGraph } = this.notices.consider(e);
    if (notice) this.notify({ ...notice, event });
    if (checkGraph)
      this.jobs.run('checking whether a graph is done', () => this.checkDone(checkGraph, event));
  }

  private async checkDone(projectId: string, event: Notification['event']): Promise<void> {
    const notice = this.notices.graphChecked(projectId, await this.services.status.taskCounts(projectId));
    if (notice) this.notify({ ...notice, event });
  }

  private notify(n: Notification): void {
    if (this.closed) return;
    for (const url of this.options.urls)
      this.jobs.run(`delivering a webhook to ${redact(url)}`, () => this.deliver(url, n));
  }

  private async deliver(url: string, n: Notification): Promise<void> {
    const body = JSON.stringify({ text: n.text, maestro: { kind: n.kind, ...n.event } });
    for (let attempt = 1; attempt <= this.options.attempts && !this.closed; attempt++) {
      try {
        const reply = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        await reply.body?.cancel().catch(() => undefined);
        // A refusal for the request itself will not change on a retry.
        if (reply.ok || (reply.status >= 400 && reply.status < 500 && reply.status !== 429)) {
          if (!reply.ok)
            this.log.warn('a webhook refused a notification', { url: redact(url), status: reply.status });
          return;
        }
      } catch {
        // unreachable or too slow: retried
      }
      if (attempt < this.options.attempts) await sleep(backoffDelay(this.options.backoff, attempt));
    }
    if (!this.closed)
      this.log.warn('a webhook notification could not be delivered', {
        url: redact(url),
        kind: n.kind,
        attempts: this.options.attempts,
      });
  }

  /** Resolves when the deliveries in flight are done (a shutdown waits for them, bounded). */
  settled(): Promise<void> {
    return this.jobs.settled();
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
  }
}

/** A URL without its path and query (a Slack webhook's secret is its path). */
function redact(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'a webhook';
  }
}
