// Original file: proto/maestro/v1/maestro.proto


export interface SessionOutputRequest {
  'id'?: (string);
  'tailBytes'?: (number);
  '_tailBytes'?: "tailBytes";
}

export interface SessionOutputRequest__Output {
  'id': (string);
  'tailBytes'?: (number);
  '_tailBytes'?: "tailBytes";
}
