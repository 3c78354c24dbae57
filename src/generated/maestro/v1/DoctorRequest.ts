// Original file: proto/maestro/v1/maestro.proto


export interface DoctorRequest {
  'projectId'?: (string);
}

export interface DoctorRequest__Output {
  'projectId': (string);
}
