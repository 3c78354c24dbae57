// Original file: proto/maestro/v1/maestro.proto

import type { Session as _maestro_v1_Session, Session__Output as _maestro_v1_Session__Output } from '../../maestro/v1/Session.js';

export interface ListSessionsResponse {
  'sessions'?: (_maestro_v1_Session)[];
}

export interface ListSessionsResponse__Output {
  'sessions': (_maestro_v1_Session__Output)[];
}
