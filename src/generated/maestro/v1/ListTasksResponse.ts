// Original file: proto/maestro/v1/maestro.proto

import type { Task as _maestro_v1_Task, Task__Output as _maestro_v1_Task__Output } from '../../maestro/v1/Task.js';

export interface ListTasksResponse {
  'tasks'?: (_maestro_v1_Task)[];
  'nextPageToken'?: (string);
}

export interface ListTasksResponse__Output {
  'tasks': (_maestro_v1_Task__Output)[];
  'nextPageToken': (string);
}
