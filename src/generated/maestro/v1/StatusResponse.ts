// Original file: proto/maestro/v1/maestro.proto

import type { CountEntry as _maestro_v1_CountEntry, CountEntry__Output as _maestro_v1_CountEntry__Output } from '../../maestro/v1/CountEntry.js';
import type { Session as _maestro_v1_Session, Session__Output as _maestro_v1_Session__Output } from '../../maestro/v1/Session.js';
import type { Long } from '@grpc/proto-loader';

export interface StatusResponse {
  'byStatus'?: (_maestro_v1_CountEntry)[];
  'byPriority'?: (_maestro_v1_CountEntry)[];
  'activeSessions'?: (_maestro_v1_Session)[];
  'ready'?: (number);
  'lastSeq'?: (number | string | Long);
}

export interface StatusResponse__Output {
  'byStatus': (_maestro_v1_CountEntry__Output)[];
  'byPriority': (_maestro_v1_CountEntry__Output)[];
  'activeSessions': (_maestro_v1_Session__Output)[];
  'ready': (number);
  'lastSeq': (number);
}
