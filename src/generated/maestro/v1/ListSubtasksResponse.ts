// Original file: proto/maestro/v1/maestro.proto

import type { Subtask as _maestro_v1_Subtask, Subtask__Output as _maestro_v1_Subtask__Output } from '../../maestro/v1/Subtask.js';

export interface ListSubtasksResponse {
  'subtasks'?: (_maestro_v1_Subtask)[];
}

export interface ListSubtasksResponse__Output {
  'subtasks': (_maestro_v1_Subtask__Output)[];
}
