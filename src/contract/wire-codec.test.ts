import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import descriptor from '../generated/descriptor.json' with { type: 'json' };
import { decodeMessage, encodeMessage, methodCodec } from './wire-codec.js';

/** The reference: protobufjs with proto-loader's conversion options, as grpc-js clients see replies. */
const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
const CONVERSION = { longs: Number, enums: String, defaults: true, oneofs: true };
const v1 = root.lookup('maestro.v1') as protobuf.Namespace;
const messageTypes = v1.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);

/** A value for every field, nested two levels deep, with edge values (negative, > 2^32, unicode). */
function sample(type: protobuf.Type, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    field.resolve();
    const one = (i: number): unknown => {
      switch (field.type) {
        case 'string':
          return `${field.name}-${i}-é✓`;
        case 'bool':
          return true;
        case 'int32':
          return i % 2 ? -7 - i : 123_456 + i;
        case 'int64':
          return 2 ** 40 + i;
        case 'double':
          return 0.012345 * (i + 1);
        default:
          return depth < 2 ? sample(field.resolvedType as protobuf.Type, depth + 1) : {};
      }
    };
    out[field.name] = field.repeated ? [one(1), one(2)] : one(0);
  }
  return out;
}

describe('wire codec (the CLI) against protobufjs (grpc-js clients)', () => {
  it.each(messageTypes.map((t) => [t.name, t] as const))(
    '%s encodes and decodes like protobufjs',
    (_name, type) => {
      const value = sample(type);
      const ours = encodeMessage(type.name, value);
      const theirs = Buffer.from(type.encode(type.fromObject(value)).finish());
      expect(type.toObject(type.decode(ours), CONVERSION)).toEqual(
        type.toObject(type.decode(theirs), CONVERSION),
      );
      expect(decodeMessage(type.name, theirs)).toEqual(type.toObject(type.decode(theirs), CONVERSION));
      const empty = Buffer.from(type.encode(type.create({})).finish());
      expect(decodeMessage(type.name, empty)).toEqual(type.toObject(type.decode(empty), CONVERSION));
      expect(Object.keys(decodeMessage(type.name, empty))).toEqual(
        Object.keys(type.toObject(type.decode(empty), CONVERSION)),
      );
    },
  );

  it('keeps proto3 optional presence: an empty string that was set is sent, an unset one is not', () => {
    const set = decodeMessage(
      'UpdateTaskRequest',
      encodeMessage('UpdateTaskRequest', { id: 't_1', title: '' }),
    );
    expect(set).toMatchObject({ id: 't_1', title: '', _title: 'title' });
    const unset = decodeMessage('UpdateTaskRequest', encodeMessage('UpdateTaskRequest', { id: 't_1' }));
    expect(unset).not.toHaveProperty('title');
    expect(unset).not.toHaveProperty('_title');
  });

  it('knows every method of every service and no others', () => {
    expect(methodCodec('Tasks', 'Get')?.path).toBe('/maestro.v1.Tasks/Get');
    expect(methodCodec('Tasks', 'Frobnicate')).toBeUndefined();
    expect(methodCodec('Nope', 'Get')).toBeUndefined();
  });
});
