// Original file: proto/maestro/v1/maestro.proto

import type { Workspace as _maestro_v1_Workspace, Workspace__Output as _maestro_v1_Workspace__Output } from '../../maestro/v1/Workspace.js';

export interface MergeQueueResponse {
  'queue'?: (_maestro_v1_Workspace)[];
}

export interface MergeQueueResponse__Output {
  'queue': (_maestro_v1_Workspace__Output)[];
}
