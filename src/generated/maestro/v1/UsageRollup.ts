// Original file: proto/maestro/v1/maestro.proto

import type { Long } from '@grpc/proto-loader';

export interface UsageRollup {
  'sessions'?: (number);
  'turns'?: (number);
  'toolCalls'?: (number);
  'inputTokens'?: (number | string | Long);
  'outputTokens'?: (number | string | Long);
  'cacheReadTokens'?: (number | string | Long);
  'cacheWriteTokens'?: (number | string | Long);
  'costUsd'?: (number | string);
  'durationMs'?: (number | string | Long);
}

export interface UsageRollup__Output {
  'sessions': (number);
  'turns': (number);
  'toolCalls': (number);
  'inputTokens': (number);
  'outputTokens': (number);
  'cacheReadTokens': (number);
  'cacheWriteTokens': (number);
  'costUsd': (number);
  'durationMs': (number);
}
