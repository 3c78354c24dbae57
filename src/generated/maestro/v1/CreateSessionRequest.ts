// Original file: proto/maestro/v1/maestro.proto


export interface CreateSessionRequest {
  'projectId'?: (string);
  'taskIds'?: (string)[];
  'role'?: (string);
  'name'?: (string);
  'skill'?: (string);
}

export interface CreateSessionRequest__Output {
  'projectId': (string);
  'taskIds': (string)[];
  'role': (string);
  'name': (string);
  'skill': (string);
}
