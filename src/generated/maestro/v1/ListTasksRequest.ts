// Original file: proto/maestro/v1/maestro.proto


export interface ListTasksRequest {
  'projectId'?: (string);
  'status'?: (string)[];
  'priority'?: (string)[];
  'parentId'?: (string);
  'label'?: (string);
  'ready'?: (boolean);
  'pageSize'?: (number);
  'pageToken'?: (string);
  'sort'?: (string);
  '_pageSize'?: "pageSize";
}

export interface ListTasksRequest__Output {
  'projectId': (string);
  'status': (string)[];
  'priority': (string)[];
  'parentId': (string);
  'label': (string);
  'ready': (boolean);
  'pageSize'?: (number);
  'pageToken': (string);
  'sort': (string);
  '_pageSize'?: "pageSize";
}
