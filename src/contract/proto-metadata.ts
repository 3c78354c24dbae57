/** Metadata keys a request carries next to `authorization`. */
export const METADATA = {
  actor: 'x-maestro-actor',
  session: 'x-maestro-session',
  idempotencyKey: 'idempotency-key',
} as const;
