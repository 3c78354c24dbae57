// Original file: proto/maestro/v1/maestro.proto


export interface CountEntry {
  'key'?: (string);
  'count'?: (number);
}

export interface CountEntry__Output {
  'key': (string);
  'count': (number);
}
