// Original file: proto/maestro/v1/maestro.proto


export interface WhoAmIRequest {
}

export interface WhoAmIRequest__Output {
}
