// Original file: proto/maestro/v1/maestro.proto

import type { AgentProfile as _maestro_v1_AgentProfile, AgentProfile__Output as _maestro_v1_AgentProfile__Output } from '../../maestro/v1/AgentProfile.js';

export interface ListAgentsResponse {
  'agents'?: (_maestro_v1_AgentProfile)[];
  'defaultAgent'?: (string);
  'checkedOn'?: (string);
}

export interface ListAgentsResponse__Output {
  'agents': (_maestro_v1_AgentProfile__Output)[];
  'defaultAgent': (string);
  'checkedOn': (string);
}
