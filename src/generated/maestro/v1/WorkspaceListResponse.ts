// Original file: proto/maestro/v1/maestro.proto

import type { WorkspaceListEntry as _maestro_v1_WorkspaceListEntry, WorkspaceListEntry__Output as _maestro_v1_WorkspaceListEntry__Output } from '../../maestro/v1/WorkspaceListEntry.js';
import type { Long } from '@grpc/proto-loader';

export interface WorkspaceListResponse {
  'workspaces'?: (_maestro_v1_WorkspaceListEntry)[];
  'totalBytes'?: (number | string | Long);
  'maxTotalBytes'?: (number | string | Long);
}

export interface WorkspaceListResponse__Output {
  'workspaces': (_maestro_v1_WorkspaceListEntry__Output)[];
  'totalBytes': (number);
  'maxTotalBytes': (number);
}
