// Original file: proto/maestro/v1/maestro.proto


export interface TaskRef {
  'id'?: (string);
  'title'?: (string);
  'status'?: (string);
}

export interface TaskRef__Output {
  'id': (string);
  'title': (string);
  'status': (string);
}
