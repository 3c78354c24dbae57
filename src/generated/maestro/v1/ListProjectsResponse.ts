// Original file: proto/maestro/v1/maestro.proto

import type { Project as _maestro_v1_Project, Project__Output as _maestro_v1_Project__Output } from '../../maestro/v1/Project.js';

export interface ListProjectsResponse {
  'projects'?: (_maestro_v1_Project)[];
}

export interface ListProjectsResponse__Output {
  'projects': (_maestro_v1_Project__Output)[];
}
