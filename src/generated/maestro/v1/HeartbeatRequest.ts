// Original file: proto/maestro/v1/maestro.proto


export interface HeartbeatRequest {
  'id'?: (string);
}

export interface HeartbeatRequest__Output {
  'id': (string);
}
