// Original file: proto/maestro/v1/maestro.proto


export interface DependencyRequest {
  'taskId'?: (string);
  'dependsOnId'?: (string);
}

export interface DependencyRequest__Output {
  'taskId': (string);
  'dependsOnId': (string);
}
