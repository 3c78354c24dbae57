// Original file: proto/maestro/v1/maestro.proto


export interface Subtask {
  'id'?: (string);
  'taskId'?: (string);
  'title'?: (string);
  'status'?: (string);
  'position'?: (number);
  'version'?: (number);
  'createdAt'?: (string);
  'updatedAt'?: (string);
}

export interface Subtask__Output {
  'id': (string);
  'taskId': (string);
  'title': (string);
  'status': (string);
  'position': (number);
  'version': (number);
  'createdAt': (string);
  'updatedAt': (string);
}
