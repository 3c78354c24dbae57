// Original file: proto/maestro/v1/maestro.proto

import type { Workspace as _maestro_v1_Workspace, Workspace__Output as _maestro_v1_Workspace__Output } from '../../maestro/v1/Workspace.js';
import type { Long } from '@grpc/proto-loader';

export interface WorkspaceListEntry {
  'workspace'?: (_maestro_v1_Workspace | null);
  'onDisk'?: (boolean);
  'sizeBytes'?: (number | string | Long);
  'ageSeconds'?: (number | string | Long);
  'ahead'?: (number);
  'behind'?: (number);
  'dirty'?: (boolean);
  'changes'?: (number);
  'snapshots'?: (number);
}

export interface WorkspaceListEntry__Output {
  'workspace': (_maestro_v1_Workspace__Output | null);
  'onDisk': (boolean);
  'sizeBytes': (number);
  'ageSeconds': (number);
  'ahead': (number);
  'behind': (number);
  'dirty': (boolean);
  'changes': (number);
  'snapshots': (number);
}
