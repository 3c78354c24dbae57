// Original file: proto/maestro/v1/maestro.proto

import type { Task as _maestro_v1_Task, Task__Output as _maestro_v1_Task__Output } from '../../maestro/v1/Task.js';
import type { Subtask as _maestro_v1_Subtask, Subtask__Output as _maestro_v1_Subtask__Output } from '../../maestro/v1/Subtask.js';
import type { TaskRef as _maestro_v1_TaskRef, TaskRef__Output as _maestro_v1_TaskRef__Output } from '../../maestro/v1/TaskRef.js';
import type { TimelineEntry as _maestro_v1_TimelineEntry, TimelineEntry__Output as _maestro_v1_TimelineEntry__Output } from '../../maestro/v1/TimelineEntry.js';
import type { UsageRollup as _maestro_v1_UsageRollup, UsageRollup__Output as _maestro_v1_UsageRollup__Output } from '../../maestro/v1/UsageRollup.js';
import type { Workspace as _maestro_v1_Workspace, Workspace__Output as _maestro_v1_Workspace__Output } from '../../maestro/v1/Workspace.js';

export interface TaskDetail {
  'task'?: (_maestro_v1_Task | null);
  'subtasks'?: (_maestro_v1_Subtask)[];
  'dependencies'?: (_maestro_v1_TaskRef)[];
  'dependents'?: (_maestro_v1_TaskRef)[];
  'children'?: (_maestro_v1_TaskRef)[];
  'timeline'?: (_maestro_v1_TimelineEntry)[];
  'blockedBy'?: (_maestro_v1_TaskRef)[];
  'usage'?: (_maestro_v1_UsageRollup | null);
  'isolation'?: (string);
  'workspace'?: (_maestro_v1_Workspace | null);
}

export interface TaskDetail__Output {
  'task': (_maestro_v1_Task__Output | null);
  'subtasks': (_maestro_v1_Subtask__Output)[];
  'dependencies': (_maestro_v1_TaskRef__Output)[];
  'dependents': (_maestro_v1_TaskRef__Output)[];
  'children': (_maestro_v1_TaskRef__Output)[];
  'timeline': (_maestro_v1_TimelineEntry__Output)[];
  'blockedBy': (_maestro_v1_TaskRef__Output)[];
  'usage': (_maestro_v1_UsageRollup__Output | null);
  'isolation': (string);
  'workspace': (_maestro_v1_Workspace__Output | null);
}
