// Original file: proto/maestro/v1/maestro.proto

import type { TranscriptEntry as _maestro_v1_TranscriptEntry, TranscriptEntry__Output as _maestro_v1_TranscriptEntry__Output } from '../../maestro/v1/TranscriptEntry.js';

export interface TranscriptResponse {
  'entries'?: (_maestro_v1_TranscriptEntry)[];
  'total'?: (number);
}

export interface TranscriptResponse__Output {
  'entries': (_maestro_v1_TranscriptEntry__Output)[];
  'total': (number);
}
