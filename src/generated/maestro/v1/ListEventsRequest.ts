// Original file: proto/maestro/v1/maestro.proto

import type { Long } from '@grpc/proto-loader';

export interface ListEventsRequest {
  'sinceSeq'?: (number | string | Long);
  'limit'?: (number);
  'pageToken'?: (string);
  '_limit'?: "limit";
}

export interface ListEventsRequest__Output {
  'sinceSeq': (number);
  'limit'?: (number);
  'pageToken': (string);
  '_limit'?: "limit";
}
