// Original file: proto/maestro/v1/maestro.proto


export interface TaskDiffFile {
  'path'?: (string);
  'oldPath'?: (string);
  'status'?: (string);
  'additions'?: (number);
  'deletions'?: (number);
  'binary'?: (boolean);
}

export interface TaskDiffFile__Output {
  'path': (string);
  'oldPath': (string);
  'status': (string);
  'additions': (number);
  'deletions': (number);
  'binary': (boolean);
}
