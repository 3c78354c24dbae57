// Original file: proto/maestro/v1/maestro.proto

import type { SessionTerminal as _maestro_v1_SessionTerminal, SessionTerminal__Output as _maestro_v1_SessionTerminal__Output } from '../../maestro/v1/SessionTerminal.js';

export interface SessionReportRequest {
  'id'?: (string);
  'kind'?: (string);
  'pid'?: (number);
  'exitCode'?: (number);
  'reason'?: (string);
  'terminal'?: (_maestro_v1_SessionTerminal | null);
}

export interface SessionReportRequest__Output {
  'id': (string);
  'kind': (string);
  'pid': (number);
  'exitCode': (number);
  'reason': (string);
  'terminal': (_maestro_v1_SessionTerminal__Output | null);
}
