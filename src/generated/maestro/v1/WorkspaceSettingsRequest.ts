// Original file: proto/maestro/v1/maestro.proto


export interface WorkspaceSettingsRequest {
  'id'?: (string);
  'isolation'?: (string);
  'baseBranch'?: (string);
  'review'?: (string);
}

export interface WorkspaceSettingsRequest__Output {
  'id': (string);
  'isolation': (string);
  'baseBranch': (string);
  'review': (string);
}
