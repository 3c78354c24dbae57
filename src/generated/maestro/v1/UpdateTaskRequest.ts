// Original file: proto/maestro/v1/maestro.proto


export interface UpdateTaskRequest {
  'id'?: (string);
  'title'?: (string);
  'description'?: (string);
  'priority'?: (string);
  'addLabels'?: (string)[];
  'removeLabels'?: (string)[];
  'expectedVersion'?: (number);
  'budget'?: (string);
  '_title'?: "title";
  '_description'?: "description";
  '_priority'?: "priority";
  '_expectedVersion'?: "expectedVersion";
  '_budget'?: "budget";
}

export interface UpdateTaskRequest__Output {
  'id': (string);
  'title'?: (string);
  'description'?: (string);
  'priority'?: (string);
  'addLabels': (string)[];
  'removeLabels': (string)[];
  'expectedVersion'?: (number);
  'budget'?: (string);
  '_title'?: "title";
  '_description'?: "description";
  '_priority'?: "priority";
  '_expectedVersion'?: "expectedVersion";
  '_budget'?: "budget";
}
