// Original file: proto/maestro/v1/maestro.proto

import type { CountEntry as _maestro_v1_CountEntry, CountEntry__Output as _maestro_v1_CountEntry__Output } from '../../maestro/v1/CountEntry.js';
import type { Session as _maestro_v1_Session, Session__Output as _maestro_v1_Session__Output } from '../../maestro/v1/Session.js';
import type { UsageRollup as _maestro_v1_UsageRollup, UsageRollup__Output as _maestro_v1_UsageRollup__Output } from '../../maestro/v1/UsageRollup.js';
import type { WorkspaceDiskStatus as _maestro_v1_WorkspaceDiskStatus, WorkspaceDiskStatus__Output as _maestro_v1_WorkspaceDiskStatus__Output } from '../../maestro/v1/WorkspaceDiskStatus.js';
import type { Long } from '@grpc/proto-loader';

export interface StatusResponse {
  'byStatus'?: (_maestro_v1_CountEntry)[];
  'byPriority'?: (_maestro_v1_CountEntry)[];
  'activeSessions'?: (_maestro_v1_Session)[];
  'ready'?: (number);
  'lastSeq'?: (number | string | Long);
  'usage'?: (_maestro_v1_UsageRollup | null);
  'workspaceDisk'?: (_maestro_v1_WorkspaceDiskStatus | null);
}

export interface StatusResponse__Output {
  'byStatus': (_maestro_v1_CountEntry__Output)[];
  'byPriority': (_maestro_v1_CountEntry__Output)[];
  'activeSessions': (_maestro_v1_Session__Output)[];
  'ready': (number);
  'lastSeq': (number);
  'usage': (_maestro_v1_UsageRollup__Output | null);
  'workspaceDisk': (_maestro_v1_WorkspaceDiskStatus__Output | null);
}
