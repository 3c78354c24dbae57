// Original file: proto/maestro/v1/maestro.proto

import type { Long } from '@grpc/proto-loader';

export interface SessionOutputResponse {
  'data'?: (string);
  'size'?: (number | string | Long);
}

export interface SessionOutputResponse__Output {
  'data': (string);
  'size': (number);
}
