// Original file: proto/maestro/v1/maestro.proto


export interface ReportRequest {
  'taskId'?: (string);
  'kind'?: (string);
  'message'?: (string);
}

export interface ReportRequest__Output {
  'taskId': (string);
  'kind': (string);
  'message': (string);
}
