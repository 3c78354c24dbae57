// Original file: proto/maestro/v1/maestro.proto


export interface ListAgentsRequest {
}

export interface ListAgentsRequest__Output {
}
