import * as grpc from '@grpc/grpc-js';
import {
  ERROR_CODES,
  ERROR_METADATA_BODY,
  ERROR_METADATA_CODE,
  type ErrorBody,
} from '../../contract/error-codes.js';
import { toErrorBody } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * The one way a gRPC handler fails: the gRPC status from the contract's table, the Maestro code in
 * `maestro-code`, and the whole error body as JSON in `maestro-error-bin`.
 */
export function toGrpcError(error: unknown, log?: Logger): Partial<grpc.StatusObject> {
  return errorStatus(toErrorBody(error, log));
}

export function errorStatus(body: ErrorBody): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  metadata.set(ERROR_METADATA_CODE, body.code);
  metadata.set(ERROR_METADATA_BODY, Buffer.from(JSON.stringify(body)));
  return { code: ERROR_CODES[body.code].grpcStatus, details: body.message, metadata };
}
