// Original file: proto/maestro/v1/maestro.proto


export interface CreateTaskRequest {
  'projectId'?: (string);
  'title'?: (string);
  'description'?: (string);
  'priority'?: (string);
  'parentId'?: (string);
  'dependsOn'?: (string)[];
  'labels'?: (string)[];
  'budget'?: (string);
}

export interface CreateTaskRequest__Output {
  'projectId': (string);
  'title': (string);
  'description': (string);
  'priority': (string);
  'parentId': (string);
  'dependsOn': (string)[];
  'labels': (string)[];
  'budget': (string);
}
