// Original file: proto/maestro/v1/maestro.proto


export interface DeleteTaskRequest {
  'id'?: (string);
  'cascade'?: (boolean);
}

export interface DeleteTaskRequest__Output {
  'id': (string);
  'cascade': (boolean);
}
