// Original file: proto/maestro/v1/maestro.proto


export interface GetTaskRequest {
  'id'?: (string);
  'timelineLimit'?: (number);
  '_timelineLimit'?: "timelineLimit";
}

export interface GetTaskRequest__Output {
  'id': (string);
  'timelineLimit'?: (number);
  '_timelineLimit'?: "timelineLimit";
}
