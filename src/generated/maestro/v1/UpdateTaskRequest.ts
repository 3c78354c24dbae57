// Original file: proto/maestro/v1/maestro.proto


export interface UpdateTaskRequest {
  'id'?: (string);
  'title'?: (string);
  'description'?: (string);
  'priority'?: (string);
  'addLabels'?: (string)[];
  'removeLabels'?: (string)[];
  'expectedVersion'?: (number);
  '_title'?: "title";
  '_description'?: "description";
  '_priority'?: "priority";
}

export interface UpdateTaskRequest__Output {
  'id': (string);
  'title'?: (string);
  'description'?: (string);
  'priority'?: (string);
  'addLabels': (string)[];
  'removeLabels': (string)[];
  'expectedVersion': (number);
  '_title'?: "title";
  '_description'?: "description";
  '_priority'?: "priority";
}
