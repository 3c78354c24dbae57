// Original file: proto/maestro/v1/maestro.proto


export interface DeleteTaskResponse {
  'deletedIds'?: (string)[];
}

export interface DeleteTaskResponse__Output {
  'deletedIds': (string)[];
}
