// Original file: proto/maestro/v1/maestro.proto

import type { Long } from '@grpc/proto-loader';

export interface ListEventsRequest {
  'sinceSeq'?: (number | string | Long);
  'limit'?: (number);
}

export interface ListEventsRequest__Output {
  'sinceSeq': (number);
  'limit': (number);
}
