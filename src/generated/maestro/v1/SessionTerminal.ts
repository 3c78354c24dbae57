// Original file: proto/maestro/v1/maestro.proto


export interface SessionTerminal {
  'backend'?: (string);
  'host'?: (string);
  'socket'?: (string);
  'target'?: (string);
}

export interface SessionTerminal__Output {
  'backend': (string);
  'host': (string);
  'socket': (string);
  'target': (string);
}
