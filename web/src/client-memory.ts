import type { CommandOutbox, QueuedCommand } from '../../src/client/ws-client.js';
import type { SeqMemory } from './board-store.js';

const CLIENT_ID_KEY = 'maestro.clientId';
const LAST_SEQ_KEY = 'maestro.lastSeq';
const OUTBOX_PREFIX = 'maestro.outbox.';

/** What a page restores at start: its client id (the idempotency scope of its commands) and last seq. */
export interface ClientMemory extends SeqMemory {
  clientId: string;
  lastSeq: number | undefined;
  /** Drops the saved seq (the server's log is not the one it came from). */
  forgetSeq(): void;
  /** Commands not acknowledged yet, kept until their ack (a reload while offline keeps them). */
  outbox: CommandOutbox;
}

function newClientId(): string {
  // crypto.randomUUID needs a secure context; getRandomValues works on plain http too.
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Keeps the client id, the last processed seq and the unacknowledged commands in localStorage, so a
 * reload resumes as the same client from where it stopped, with nothing it was asked to do lost.
 * Storage can be unavailable (private modes): it then lasts one page.
 */
export function clientMemory(storage: Storage | undefined): ClientMemory {
  const read = (key: string): string | null => {
    try {
      return storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  };
  const write = (key: string, value: string): void => {
    try {
      storage?.setItem(key, value);
    } catch {
      // Not persisted; the next page load starts afresh.
    }
  };
  let clientId = read(CLIENT_ID_KEY);
  if (!clientId) {
    clientId = newClientId();
    write(CLIENT_ID_KEY, clientId);
  }
  const remove = (key: string): void => {
    try {
      storage?.removeItem(key);
    } catch {
      // Nothing kept, nothing to drop.
    }
  };
  const outbox: CommandOutbox = {
    load() {
      const found: (QueuedCommand & { at: number })[] = [];
      for (let i = 0; i < (storage?.length ?? 0); i++) {
        const key = storage?.key(i);
        if (!key?.startsWith(OUTBOX_PREFIX)) continue;
        try {
          found.push(JSON.parse(read(key) ?? '') as QueuedCommand & { at: number });
        } catch {
          remove(key);
        }
      }
      return found.sort((a, b) => a.at - b.at).map(({ id, op, args }) => ({ id, op, args }));
    },
    add: (command) => write(OUTBOX_PREFIX + command.id, JSON.stringify({ ...command, at: Date.now() })),
    remove: (id) => remove(OUTBOX_PREFIX + id),
  };
  const storedSeq = Number(read(LAST_SEQ_KEY) ?? NaN);
  let saved = Number.isInteger(storedSeq) && storedSeq >= 0 ? storedSeq : undefined;
  return {
    clientId,
    lastSeq: saved,
    saveSeq(seq: number) {
      if (seq < 0 || seq === saved) return;
      saved = seq;
      write(LAST_SEQ_KEY, String(seq));
    },
    forgetSeq() {
      saved = undefined;
      remove(LAST_SEQ_KEY);
    },
    outbox,
  };
}
