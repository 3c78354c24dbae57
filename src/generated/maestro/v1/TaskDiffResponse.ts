// Original file: proto/maestro/v1/maestro.proto

import type { TaskDiffFile as _maestro_v1_TaskDiffFile, TaskDiffFile__Output as _maestro_v1_TaskDiffFile__Output } from '../../maestro/v1/TaskDiffFile.js';
import type { TaskDiffTotals as _maestro_v1_TaskDiffTotals, TaskDiffTotals__Output as _maestro_v1_TaskDiffTotals__Output } from '../../maestro/v1/TaskDiffTotals.js';

export interface TaskDiffResponse {
  'taskId'?: (string);
  'base'?: (string);
  'mergeBase'?: (string);
  'head'?: (string);
  'files'?: (_maestro_v1_TaskDiffFile)[];
  'filesTruncated'?: (boolean);
  'totals'?: (_maestro_v1_TaskDiffTotals | null);
  'stat'?: (string);
  'patch'?: (string);
  'patchTruncated'?: (boolean);
}

export interface TaskDiffResponse__Output {
  'taskId': (string);
  'base': (string);
  'mergeBase': (string);
  'head': (string);
  'files': (_maestro_v1_TaskDiffFile__Output)[];
  'filesTruncated': (boolean);
  'totals': (_maestro_v1_TaskDiffTotals__Output | null);
  'stat': (string);
  'patch': (string);
  'patchTruncated': (boolean);
}
