// Original file: proto/maestro/v1/maestro.proto

import type { Long } from '@grpc/proto-loader';

export interface Event {
  'seq'?: (number | string | Long);
  'type'?: (string);
  'entityType'?: (string);
  'entityId'?: (string);
  'projectId'?: (string);
  'dataJson'?: (string);
  'createdAt'?: (string);
}

export interface Event__Output {
  'seq': (number);
  'type': (string);
  'entityType': (string);
  'entityId': (string);
  'projectId': (string);
  'dataJson': (string);
  'createdAt': (string);
}
