// Original file: proto/maestro/v1/maestro.proto


export interface TaskCommandRequest {
  'id'?: (string);
  'reason'?: (string);
  'expectedVersion'?: (number);
  '_expectedVersion'?: "expectedVersion";
}

export interface TaskCommandRequest__Output {
  'id': (string);
  'reason': (string);
  'expectedVersion'?: (number);
  '_expectedVersion'?: "expectedVersion";
}
