// Original file: proto/maestro/v1/maestro.proto


export interface ResumeSessionRequest {
  'id'?: (string);
}

export interface ResumeSessionRequest__Output {
  'id': (string);
}
