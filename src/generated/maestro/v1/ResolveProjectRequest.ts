// Original file: proto/maestro/v1/maestro.proto


export interface ResolveProjectRequest {
  'workingDir'?: (string);
}

export interface ResolveProjectRequest__Output {
  'workingDir': (string);
}
