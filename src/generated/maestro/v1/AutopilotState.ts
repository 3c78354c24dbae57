// Original file: proto/maestro/v1/maestro.proto

import type { Budget as _maestro_v1_Budget, Budget__Output as _maestro_v1_Budget__Output } from '../../maestro/v1/Budget.js';

export interface AutopilotState {
  'projectId'?: (string);
  'enabled'?: (boolean);
  'maxWorkers'?: (number);
  'label'?: (string);
  'agent'?: (string);
  'maxAttempts'?: (number);
  'budget'?: (_maestro_v1_Budget | null);
  'reason'?: (string);
  'updatedAt'?: (string);
}

export interface AutopilotState__Output {
  'projectId': (string);
  'enabled': (boolean);
  'maxWorkers': (number);
  'label': (string);
  'agent': (string);
  'maxAttempts': (number);
  'budget': (_maestro_v1_Budget__Output | null);
  'reason': (string);
  'updatedAt': (string);
}
