// Original file: proto/maestro/v1/maestro.proto


export interface SessionLogsRequest {
  'id'?: (string);
  'follow'?: (boolean);
}

export interface SessionLogsRequest__Output {
  'id': (string);
  'follow': (boolean);
}
