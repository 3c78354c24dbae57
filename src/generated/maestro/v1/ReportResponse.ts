// Original file: proto/maestro/v1/maestro.proto

import type { TimelineEntry as _maestro_v1_TimelineEntry, TimelineEntry__Output as _maestro_v1_TimelineEntry__Output } from '../../maestro/v1/TimelineEntry.js';
import type { Task as _maestro_v1_Task, Task__Output as _maestro_v1_Task__Output } from '../../maestro/v1/Task.js';

export interface ReportResponse {
  'entry'?: (_maestro_v1_TimelineEntry | null);
  'task'?: (_maestro_v1_Task | null);
}

export interface ReportResponse__Output {
  'entry': (_maestro_v1_TimelineEntry__Output | null);
  'task': (_maestro_v1_Task__Output | null);
}
