// Original file: proto/maestro/v1/maestro.proto

import type { Task as _maestro_v1_Task, Task__Output as _maestro_v1_Task__Output } from '../../maestro/v1/Task.js';

export interface ClaimTaskResponse {
  'task'?: (_maestro_v1_Task | null);
  'claimed'?: (boolean);
}

export interface ClaimTaskResponse__Output {
  'task': (_maestro_v1_Task__Output | null);
  'claimed': (boolean);
}
