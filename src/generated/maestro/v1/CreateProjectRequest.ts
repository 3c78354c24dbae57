// Original file: proto/maestro/v1/maestro.proto


export interface CreateProjectRequest {
  'name'?: (string);
  'description'?: (string);
  'workingDir'?: (string);
}

export interface CreateProjectRequest__Output {
  'name': (string);
  'description': (string);
  'workingDir': (string);
}
