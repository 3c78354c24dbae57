// Original file: proto/maestro/v1/maestro.proto

import type { Long } from '@grpc/proto-loader';

export interface WhoAmIResponse {
  'actor'?: (string);
  'sessionId'?: (string);
  'serverVersion'?: (string);
  'lastSeq'?: (number | string | Long);
}

export interface WhoAmIResponse__Output {
  'actor': (string);
  'sessionId': (string);
  'serverVersion': (string);
  'lastSeq': (number);
}
