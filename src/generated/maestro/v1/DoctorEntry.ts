// Original file: proto/maestro/v1/maestro.proto


export interface DoctorEntry {
  'taskId'?: (string);
  'title'?: (string);
  'status'?: (string);
  'ready'?: (boolean);
  'reason'?: (string);
  'waitingOn'?: (string)[];
  'neverReady'?: (boolean);
}

export interface DoctorEntry__Output {
  'taskId': (string);
  'title': (string);
  'status': (string);
  'ready': (boolean);
  'reason': (string);
  'waitingOn': (string)[];
  'neverReady': (boolean);
}
