// Original file: proto/maestro/v1/maestro.proto


export interface ListProjectsRequest {
}

export interface ListProjectsRequest__Output {
}
