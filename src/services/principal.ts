/**
 * Who a call comes from, as its credential says. The server token is the operator (`server`): it
 * may do everything. A session's own token is a `session` principal, bound to that session and its
 * project, with the session's role.
 */
export type Principal = ServerPrincipal | SessionPrincipal;

export interface ServerPrincipal {
  kind: 'server';
}

export interface SessionPrincipal {
  kind: 'session';
  role: 'worker' | 'orchestrator';
  /** `s_<n>` and its row id. */
  sessionId: string;
  sessionRowId: number;
  /** `p_<n>` and its row id: the only project the credential may act on. */
  projectId: string;
  projectRowId: number;
}

export const SERVER_PRINCIPAL: ServerPrincipal = { kind: 'server' };
