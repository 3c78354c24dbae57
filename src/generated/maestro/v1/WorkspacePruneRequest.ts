// Original file: proto/maestro/v1/maestro.proto

import type { Long } from '@grpc/proto-loader';

export interface WorkspacePruneRequest {
  'keepMergedDays'?: (number);
  'maxTotalBytes'?: (number | string | Long);
  '_keepMergedDays'?: "keepMergedDays";
  '_maxTotalBytes'?: "maxTotalBytes";
}

export interface WorkspacePruneRequest__Output {
  'keepMergedDays'?: (number);
  'maxTotalBytes'?: (number);
  '_keepMergedDays'?: "keepMergedDays";
  '_maxTotalBytes'?: "maxTotalBytes";
}
