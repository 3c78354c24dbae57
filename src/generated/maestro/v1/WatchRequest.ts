// Original file: proto/maestro/v1/maestro.proto

import type { Long } from '@grpc/proto-loader';

export interface WatchRequest {
  'sinceSeq'?: (number | string | Long);
}

export interface WatchRequest__Output {
  'sinceSeq': (number);
}
