// Original file: proto/maestro/v1/maestro.proto

import type { Long } from '@grpc/proto-loader';

export interface WorkspacePruned {
  'taskId'?: (string);
  'projectId'?: (string);
  'reason'?: (string);
  'bytes'?: (number | string | Long);
  'snapshot'?: (number);
  'branchKept'?: (boolean);
}

export interface WorkspacePruned__Output {
  'taskId': (string);
  'projectId': (string);
  'reason': (string);
  'bytes': (number);
  'snapshot': (number);
  'branchKept': (boolean);
}
