// Original file: proto/maestro/v1/maestro.proto

import type { Session as _maestro_v1_Session, Session__Output as _maestro_v1_Session__Output } from '../../maestro/v1/Session.js';

export interface SendSessionMessageResponse {
  'session'?: (_maestro_v1_Session | null);
  'delivered'?: (boolean);
  'note'?: (string);
}

export interface SendSessionMessageResponse__Output {
  'session': (_maestro_v1_Session__Output | null);
  'delivered': (boolean);
  'note': (string);
}
