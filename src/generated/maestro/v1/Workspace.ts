// Original file: proto/maestro/v1/maestro.proto


export interface Workspace {
  'taskId'?: (string);
  'projectId'?: (string);
  'status'?: (string);
  'branch'?: (string);
  'baseBranch'?: (string);
  'path'?: (string);
  'workingDir'?: (string);
  'portStart'?: (number);
  'portCount'?: (number);
  'failureKind'?: (string);
  'failureMessage'?: (string);
  'failureFiles'?: (string)[];
  'mergeAttempts'?: (number);
  'mergedCommit'?: (string);
  'queuedAt'?: (string);
  'createdAt'?: (string);
  'updatedAt'?: (string);
}

export interface Workspace__Output {
  'taskId': (string);
  'projectId': (string);
  'status': (string);
  'branch': (string);
  'baseBranch': (string);
  'path': (string);
  'workingDir': (string);
  'portStart': (number);
  'portCount': (number);
  'failureKind': (string);
  'failureMessage': (string);
  'failureFiles': (string)[];
  'mergeAttempts': (number);
  'mergedCommit': (string);
  'queuedAt': (string);
  'createdAt': (string);
  'updatedAt': (string);
}
