// Original file: proto/maestro/v1/maestro.proto


export interface AutopilotSetRequest {
  'projectId'?: (string);
  'state'?: (string);
  'maxWorkers'?: (number);
  'label'?: (string);
  'agent'?: (string);
  'maxAttempts'?: (number);
  'budget'?: (string);
  '_state'?: "state";
  '_maxWorkers'?: "maxWorkers";
  '_label'?: "label";
  '_agent'?: "agent";
  '_maxAttempts'?: "maxAttempts";
  '_budget'?: "budget";
}

export interface AutopilotSetRequest__Output {
  'projectId': (string);
  'state'?: (string);
  'maxWorkers'?: (number);
  'label'?: (string);
  'agent'?: (string);
  'maxAttempts'?: (number);
  'budget'?: (string);
  '_state'?: "state";
  '_maxWorkers'?: "maxWorkers";
  '_label'?: "label";
  '_agent'?: "agent";
  '_maxAttempts'?: "maxAttempts";
  '_budget'?: "budget";
}
