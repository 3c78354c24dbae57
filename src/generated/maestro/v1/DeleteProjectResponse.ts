// Original file: proto/maestro/v1/maestro.proto


export interface DeleteProjectResponse {
  'id'?: (string);
  'deletedTasks'?: (number);
}

export interface DeleteProjectResponse__Output {
  'id': (string);
  'deletedTasks': (number);
}
