// Original file: proto/maestro/v1/maestro.proto

import type { Long } from '@grpc/proto-loader';

export interface Budget {
  'usd'?: (number | string);
  'tokens'?: (number | string | Long);
  'minutes'?: (number);
}

export interface Budget__Output {
  'usd': (number);
  'tokens': (number);
  'minutes': (number);
}
