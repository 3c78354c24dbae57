import { createHash, randomBytes } from 'node:crypto';
import { formatId } from '../contract/ids.js';
import { SESSION_TOKEN_PREFIX, isSessionToken } from '../contract/session-token.js';
import { SESSION_FINAL_STATUSES, type SessionStatus } from '../machines/session.machine.js';
import type { CommandRunner, RequestContext, Tx } from './command-runner.js';
import { query } from './db/sql.js';
import { MaestroError, SessionErrors } from './errors.js';
import type { EventBus } from './events.js';
import type { SessionPrincipal } from './principal.js';
import { idOf } from './validate.js';

/** Credentials a server remembers (by hash), and plaintexts it holds for spawns not yet sent. */
export const CREDENTIAL_CACHE_LIMIT = 10_000;

const SYSTEM: RequestContext = { actor: 'maestro', sessionId: null };

/** What is stored of a token: its SHA-256, never the token. */
export function credentialHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const ended = (status: unknown) => SESSION_FINAL_STATUSES.includes(status as SessionStatus);

/**
 * Session credentials: a token made for one spawned session (`mst_` + 32 random bytes), stored as
 * its hash in `session_credentials` and revoked in the transaction that ends the session.
 *
 * Authentication reads the table on a miss and remembers the answer. Every server drops what it
 * remembers of a session when the session's end reaches its event bus (its own commits, and on a
 * shared PostgreSQL database every other server's, through the log follower), and of a project's
 * sessions when the project is deleted; a read that raced such an event is not remembered.
 */
export class CredentialService {
  /** Token hash → its session principal, or null once revoked. Oldest first, bounded. */
  private readonly known = new Map<string, SessionPrincipal | null>();
  /** Session id → the plaintext made with it, until the dispatcher has sent the spawn. */
  private readonly handoffs = new Map<string, string>();
  /** Bumped by every forget: a lookup that started before one does not store its answer. */
  private generation = 0;

  constructor(
    private readonly runner: CommandRunner,
    bus: EventBus,
  ) {
    bus.subscribe((events) => {
      for (const e of events) {
        if (e.type === 'project.deleted') this.forget((p) => p.projectId === e.entityId);
        if (e.entityType !== 'session') continue;
        const status = (e.data.session as { status?: string } | undefined)?.status;
        if (ended(status)) this.forgetSession(e.entityId);
      }
    });
  }

  /** Makes a credential for a session inside the command that creates it; returns the plaintext. */
  async mint(tx: Tx, session: { sessionRowId: number; role: string; projectRowId: number }): Promise<string> {
    const token = SESSION_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    await query(
      tx.em,
      'insert into session_credentials (hash, session_id, role, project_id, created_at) values (?, ?, ?, ?, ?)',
      [credentialHash(token), session.sessionRowId, session.role, session.projectRowId, new Date(tx.now)],
    );
    return token;
  }

  /** Revokes every credential of a session; runs in the transaction that ends it. */
  async revoke(tx: Tx, sessionRowId: number): Promise<void> {
    this.forgetSession(formatId('session', sessionRowId));
    await query(
      tx.em,
      'update session_credentials set revoked_at = ? where session_id = ? and revoked_at is null',
      [new Date(tx.now), sessionRowId],
    );
  }

  /** The live session a token belongs to, or null (not a session token, unknown, or revoked). */
  async resolve(token: string): Promise<SessionPrincipal | null> {
    if (!isSessionToken(token)) return null;
    const hash = credentialHash(token);
    const remembered = this.known.get(hash);
    if (remembered !== undefined) return remembered;
    const generation = this.generation;
    const found = await this.runner.read(async (em) => {
      const [row] = await query<{
        session_id: number;
        role: string;
        project_id: number;
        revoked_at: unknown;
      }>(em, 'select session_id, role, project_id, revoked_at from session_credentials where hash = ?', [
        hash,
      ]);
      if (!row) return undefined;
      if (row.revoked_at !== null && row.revoked_at !== undefined) return null;
      const principal: SessionPrincipal = {
        kind: 'session',
        role: row.role === 'orchestrator' ? 'orchestrator' : 'worker',
        sessionId: formatId('session', Number(row.session_id)),
        sessionRowId: Number(row.session_id),
        projectId: formatId('project', Number(row.project_id)),
        projectRowId: Number(row.project_id),
      };
      return principal;
    });
    // An unknown hash is not remembered: guessed tokens must not fill the map.
    if (found !== undefined && generation === this.generation) remember(this.known, hash, found);
    return found ?? null;
  }

  /** Holds a new session's plaintext for the dispatcher (after the command that made it committed). */
  handOff(sessionId: string, token: string): void {
    remember(this.handoffs, sessionId, token);
  }

  /**
   * The token to give a session's agent: the one made with the session, or, when this server does
   * not hold it (it restarted since, or another server created the session), a new credential for
   * the same session. Refused once the session has ended.
   */
  async tokenFor(sessionId: string): Promise<string> {
    const held = this.handoffs.get(sessionId);
    if (held) return held;
    const rowId = idOf('session', sessionId);
    if (!rowId) throw SessionErrors.notFound(sessionId);
    const token = await this.runner.run('credential.issue', SYSTEM, async (tx) => {
      const [row] = await query<{ role: string; project_id: number; status: string }>(
        tx.em,
        'select role, project_id, status from sessions where id = ?',
        [rowId],
      );
      if (!row) throw SessionErrors.notFound(sessionId);
      if (ended(row.status)) {
        throw new MaestroError(
          'invalid_argument',
          `Session '${sessionId}' has ended (${row.status}); it gets no credential.`,
          undefined,
          { sessionId, status: row.status },
        );
      }
      return this.mint(tx, { sessionRowId: rowId, role: row.role, projectRowId: Number(row.project_id) });
    });
    this.handOff(sessionId, token);
    return token;
  }

  private forgetSession(sessionId: string): void {
    this.handoffs.delete(sessionId);
    this.forget((p) => p.sessionId === sessionId);
  }

  private forget(match: (principal: SessionPrincipal) => boolean): void {
    this.generation++;
    for (const [hash, principal] of this.known) if (principal && match(principal)) this.known.delete(hash);
  }
}

/** Sets a key of a bounded map; past the bound the oldest entry goes. */
function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > CREDENTIAL_CACHE_LIMIT) map.delete(map.keys().next().value as K);
}
