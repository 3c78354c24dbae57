// Original file: proto/maestro/v1/maestro.proto


export interface LogChunk {
  'data'?: (string);
}

export interface LogChunk__Output {
  'data': (string);
}
