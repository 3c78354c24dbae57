// Original file: proto/maestro/v1/maestro.proto


export interface AutopilotGetRequest {
  'projectId'?: (string);
}

export interface AutopilotGetRequest__Output {
  'projectId': (string);
}
