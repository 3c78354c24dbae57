import type { SeqMemory } from './board-store.js';

const CLIENT_ID_KEY = 'maestro.clientId';
const LAST_SEQ_KEY = 'maestro.lastSeq';

/** What a page restores at start: its client id (the idempotency scope of its commands) and last seq. */
export interface ClientMemory extends SeqMemory {
  clientId: string;
  lastSeq: number | undefined;
  /** Drops the saved seq (the server's log is not the one it came from). */
  forgetSeq(): void;
}

function newClientId(): string {
  // crypto.randomUUID needs a secure context; getRandomValues works on plain http too.
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Keeps the client id and the last processed seq in localStorage, so a reload resumes as the same
 * client from where it stopped. Storage can be unavailable (private modes): it then lasts one page.
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
      try {
        storage?.removeItem(LAST_SEQ_KEY);
      } catch {
        // Nothing kept, nothing to drop.
      }
    },
  };
}
