// Original file: proto/maestro/v1/maestro.proto


export interface Session {
  'id'?: (string);
  'projectId'?: (string);
  'taskIds'?: (string)[];
  'role'?: (string);
  'name'?: (string);
  'status'?: (string);
  'skill'?: (string);
  'pid'?: (number);
  'exitCode'?: (number);
  'failureReason'?: (string);
  'lastHeartbeatAt'?: (string);
  'version'?: (number);
  'createdAt'?: (string);
  'updatedAt'?: (string);
  'endedAt'?: (string);
}

export interface Session__Output {
  'id': (string);
  'projectId': (string);
  'taskIds': (string)[];
  'role': (string);
  'name': (string);
  'status': (string);
  'skill': (string);
  'pid': (number);
  'exitCode': (number);
  'failureReason': (string);
  'lastHeartbeatAt': (string);
  'version': (number);
  'createdAt': (string);
  'updatedAt': (string);
  'endedAt': (string);
}
