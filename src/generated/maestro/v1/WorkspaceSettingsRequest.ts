// Original file: proto/maestro/v1/maestro.proto


export interface WorkspaceSettingsRequest {
  'id'?: (string);
  'isolation'?: (string);
  'baseBranch'?: (string);
  'review'?: (string);
  'checks'?: (string);
  'checksTimeoutSeconds'?: (number);
}

export interface WorkspaceSettingsRequest__Output {
  'id': (string);
  'isolation': (string);
  'baseBranch': (string);
  'review': (string);
  'checks': (string);
  'checksTimeoutSeconds': (number);
}
