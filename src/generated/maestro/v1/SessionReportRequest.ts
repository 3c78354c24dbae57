// Original file: proto/maestro/v1/maestro.proto


export interface SessionReportRequest {
  'id'?: (string);
  'kind'?: (string);
  'pid'?: (number);
  'exitCode'?: (number);
  'reason'?: (string);
}

export interface SessionReportRequest__Output {
  'id': (string);
  'kind': (string);
  'pid': (number);
  'exitCode': (number);
  'reason': (string);
}
