// Original file: proto/maestro/v1/maestro.proto

import type { Long } from '@grpc/proto-loader';

export interface WorkspaceDiskStatus {
  'totalBytes'?: (number | string | Long);
  'maxTotalBytes'?: (number | string | Long);
  'workspaces'?: (number);
  'warning'?: (string);
}

export interface WorkspaceDiskStatus__Output {
  'totalBytes': (number);
  'maxTotalBytes': (number);
  'workspaces': (number);
  'warning': (string);
}
