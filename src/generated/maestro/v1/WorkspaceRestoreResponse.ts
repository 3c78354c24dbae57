// Original file: proto/maestro/v1/maestro.proto

import type { Workspace as _maestro_v1_Workspace, Workspace__Output as _maestro_v1_Workspace__Output } from '../../maestro/v1/Workspace.js';

export interface WorkspaceRestoreResponse {
  'workspace'?: (_maestro_v1_Workspace | null);
  'snapshot'?: (number);
  'previousSnapshot'?: (number);
  'recreated'?: (boolean);
}

export interface WorkspaceRestoreResponse__Output {
  'workspace': (_maestro_v1_Workspace__Output | null);
  'snapshot': (number);
  'previousSnapshot': (number);
  'recreated': (boolean);
}
