import type { Options } from '@grpc/proto-loader';
import options from '../../proto/loader-options.json' with { type: 'json' };

/**
 * The proto-loader options every client and server loads `proto/` with. The generated types in
 * `src/generated` are made from the same file (`scripts/gen-proto.mjs`), so they always agree.
 */
export const PROTO_LOADER_OPTIONS: Options = { ...options, longs: Number, enums: String };
