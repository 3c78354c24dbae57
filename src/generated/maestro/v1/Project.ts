// Original file: proto/maestro/v1/maestro.proto


export interface Project {
  'id'?: (string);
  'name'?: (string);
  'description'?: (string);
  'workingDir'?: (string);
  'createdAt'?: (string);
  'updatedAt'?: (string);
  'isolation'?: (string);
  'baseBranch'?: (string);
  'review'?: (string);
  'checks'?: (string);
  'checksTimeoutSeconds'?: (number);
}

export interface Project__Output {
  'id': (string);
  'name': (string);
  'description': (string);
  'workingDir': (string);
  'createdAt': (string);
  'updatedAt': (string);
  'isolation': (string);
  'baseBranch': (string);
  'review': (string);
  'checks': (string);
  'checksTimeoutSeconds': (number);
}
