// Original file: proto/maestro/v1/maestro.proto

import type { Event as _maestro_v1_Event, Event__Output as _maestro_v1_Event__Output } from '../../maestro/v1/Event.js';
import type { Long } from '@grpc/proto-loader';

export interface ListEventsResponse {
  'events'?: (_maestro_v1_Event)[];
  'lastSeq'?: (number | string | Long);
  'nextPageToken'?: (string);
}

export interface ListEventsResponse__Output {
  'events': (_maestro_v1_Event__Output)[];
  'lastSeq': (number);
  'nextPageToken': (string);
}
