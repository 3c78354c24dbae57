// Original file: proto/maestro/v1/maestro.proto


export interface SendSessionMessageRequest {
  'id'?: (string);
  'message'?: (string);
}

export interface SendSessionMessageRequest__Output {
  'id': (string);
  'message': (string);
}
