// Original file: proto/maestro/v1/maestro.proto

import type { AutopilotState as _maestro_v1_AutopilotState, AutopilotState__Output as _maestro_v1_AutopilotState__Output } from '../../maestro/v1/AutopilotState.js';
import type { DoctorEntry as _maestro_v1_DoctorEntry, DoctorEntry__Output as _maestro_v1_DoctorEntry__Output } from '../../maestro/v1/DoctorEntry.js';

export interface DoctorResponse {
  'autopilot'?: (_maestro_v1_AutopilotState | null);
  'tasks'?: (_maestro_v1_DoctorEntry)[];
}

export interface DoctorResponse__Output {
  'autopilot': (_maestro_v1_AutopilotState__Output | null);
  'tasks': (_maestro_v1_DoctorEntry__Output)[];
}
