// Original file: proto/maestro/v1/maestro.proto


export interface SpawnSessionRequest {
  'taskId'?: (string);
  'role'?: (string);
  'name'?: (string);
  'skill'?: (string);
  'agent'?: (string);
}

export interface SpawnSessionRequest__Output {
  'taskId': (string);
  'role': (string);
  'name': (string);
  'skill': (string);
  'agent': (string);
}
