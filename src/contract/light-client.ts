import protobuf from 'protobufjs/light.js';
import descriptor from '../generated/descriptor.json' with { type: 'json' };
import { PROTO_LOADER_OPTIONS } from './proto-options.js';

/** The conversion options proto-loader applies, in protobufjs' own terms. */
const CONVERSION: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  defaults: PROTO_LOADER_OPTIONS.defaults,
  oneofs: PROTO_LOADER_OPTIONS.oneofs,
};

export interface MethodCodec {
  /** The HTTP/2 path of the method, `/maestro.v1.Tasks/Get`. */
  path: string;
  serialize(request: object): Buffer;
  deserialize(reply: Buffer): Record<string, unknown>;
}

let root: protobuf.Root | undefined;
const codecs = new Map<string, MethodCodec>();

/**
 * Encoding for one method, built on demand from the JSON descriptor with the light protobufjs
 * build and the same conversion options as `@grpc/proto-loader`, so replies look exactly as they
 * do to a grpc-js client. Used by the CLI, which needs a method or two per run, not all of them.
 */
export function methodCodec(service: string, method: string): MethodCodec | undefined {
  const key = `${service}/${method}`;
  let codec = codecs.get(key);
  if (codec) return codec;
  root ??= protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
  const definition = root.lookupService(`maestro.v1.${service}`).methods[method];
  if (!definition) return undefined;
  definition.resolve();
  const request = definition.resolvedRequestType!;
  const response = definition.resolvedResponseType!;
  codec = {
    path: `/maestro.v1.${service}/${method}`,
    serialize: (value) => Buffer.from(request.encode(request.fromObject(value)).finish()),
    deserialize: (bytes) => response.toObject(response.decode(bytes), CONVERSION),
  };
  codecs.set(key, codec);
  return codec;
}
