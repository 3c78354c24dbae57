// Original file: proto/maestro/v1/maestro.proto

import type { Claim as _maestro_v1_Claim, Claim__Output as _maestro_v1_Claim__Output } from '../../maestro/v1/Claim.js';
import type { Budget as _maestro_v1_Budget, Budget__Output as _maestro_v1_Budget__Output } from '../../maestro/v1/Budget.js';

export interface Task {
  'id'?: (string);
  'projectId'?: (string);
  'title'?: (string);
  'description'?: (string);
  'status'?: (string);
  'priority'?: (string);
  'parentId'?: (string);
  'labels'?: (string)[];
  'claim'?: (_maestro_v1_Claim | null);
  'blockedReason'?: (string);
  'version'?: (number);
  'dependsOn'?: (string)[];
  'subtasksTotal'?: (number);
  'subtasksCompleted'?: (number);
  'createdAt'?: (string);
  'updatedAt'?: (string);
  'completedAt'?: (string);
  'budget'?: (_maestro_v1_Budget | null);
  'allowedActions'?: (string)[];
  'gatedActions'?: (string)[];
  'actionTargets'?: (string)[];
}

export interface Task__Output {
  'id': (string);
  'projectId': (string);
  'title': (string);
  'description': (string);
  'status': (string);
  'priority': (string);
  'parentId': (string);
  'labels': (string)[];
  'claim': (_maestro_v1_Claim__Output | null);
  'blockedReason': (string);
  'version': (number);
  'dependsOn': (string)[];
  'subtasksTotal': (number);
  'subtasksCompleted': (number);
  'createdAt': (string);
  'updatedAt': (string);
  'completedAt': (string);
  'budget': (_maestro_v1_Budget__Output | null);
  'allowedActions': (string)[];
  'gatedActions': (string)[];
  'actionTargets': (string)[];
}
