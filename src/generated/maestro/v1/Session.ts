// Original file: proto/maestro/v1/maestro.proto

import type { SessionTerminal as _maestro_v1_SessionTerminal, SessionTerminal__Output as _maestro_v1_SessionTerminal__Output } from '../../maestro/v1/SessionTerminal.js';
import type { SessionUsage as _maestro_v1_SessionUsage, SessionUsage__Output as _maestro_v1_SessionUsage__Output } from '../../maestro/v1/SessionUsage.js';
import type { UsageLimit as _maestro_v1_UsageLimit, UsageLimit__Output as _maestro_v1_UsageLimit__Output } from '../../maestro/v1/UsageLimit.js';

export interface Session {
  'id'?: (string);
  'projectId'?: (string);
  'taskIds'?: (string)[];
  'role'?: (string);
  'name'?: (string);
  'status'?: (string);
  'skill'?: (string);
  'pid'?: (number);
  'exitCode'?: (number);
  'failureReason'?: (string);
  'lastHeartbeatAt'?: (string);
  'version'?: (number);
  'createdAt'?: (string);
  'updatedAt'?: (string);
  'endedAt'?: (string);
  'terminal'?: (_maestro_v1_SessionTerminal | null);
  'agent'?: (string);
  'mode'?: (string);
  'harnessSessionId'?: (string);
  'resumedFrom'?: (string);
  'outcome'?: (string);
  'usage'?: (_maestro_v1_SessionUsage | null);
  'resultText'?: (string);
  'usageLimit'?: (_maestro_v1_UsageLimit | null);
  'pausedUntil'?: (string);
  'resumes'?: (number);
}

export interface Session__Output {
  'id': (string);
  'projectId': (string);
  'taskIds': (string)[];
  'role': (string);
  'name': (string);
  'status': (string);
  'skill': (string);
  'pid': (number);
  'exitCode': (number);
  'failureReason': (string);
  'lastHeartbeatAt': (string);
  'version': (number);
  'createdAt': (string);
  'updatedAt': (string);
  'endedAt': (string);
  'terminal': (_maestro_v1_SessionTerminal__Output | null);
  'agent': (string);
  'mode': (string);
  'harnessSessionId': (string);
  'resumedFrom': (string);
  'outcome': (string);
  'usage': (_maestro_v1_SessionUsage__Output | null);
  'resultText': (string);
  'usageLimit': (_maestro_v1_UsageLimit__Output | null);
  'pausedUntil': (string);
  'resumes': (number);
}
