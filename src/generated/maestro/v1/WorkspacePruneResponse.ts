// Original file: proto/maestro/v1/maestro.proto

import type { WorkspacePruned as _maestro_v1_WorkspacePruned, WorkspacePruned__Output as _maestro_v1_WorkspacePruned__Output } from '../../maestro/v1/WorkspacePruned.js';
import type { Long } from '@grpc/proto-loader';

export interface WorkspacePruneResponse {
  'removed'?: (_maestro_v1_WorkspacePruned)[];
  'totalBytes'?: (number | string | Long);
  'bytesAfter'?: (number | string | Long);
  'overCapBytes'?: (number | string | Long);
}

export interface WorkspacePruneResponse__Output {
  'removed': (_maestro_v1_WorkspacePruned__Output)[];
  'totalBytes': (number);
  'bytesAfter': (number);
  'overCapBytes': (number);
}
