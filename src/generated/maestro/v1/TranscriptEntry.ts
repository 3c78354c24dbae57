// Original file: proto/maestro/v1/maestro.proto


export interface TranscriptEntry {
  'n'?: (number);
  'at'?: (string);
  'kind'?: (string);
  'text'?: (string);
  'tool'?: (string);
  'input'?: (string);
  'isError'?: (boolean);
}

export interface TranscriptEntry__Output {
  'n': (number);
  'at': (string);
  'kind': (string);
  'text': (string);
  'tool': (string);
  'input': (string);
  'isError': (boolean);
}
