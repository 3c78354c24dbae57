import descriptor from '../generated/descriptor.json' with { type: 'json' };

/**
 * A protobuf codec for the CLI, driven by the same JSON descriptor as everything else, covering the
 * field kinds `proto/maestro/v1` uses (string, bool, int32, int64, double, nested and repeated messages).
 * Replies decode to exactly what `@grpc/proto-loader` produces with our loader options (defaults
 * filled in, longs as numbers, proto3 `optional` presence as `_field` oneofs); a test checks every
 * message type against protobufjs. It exists because loading and setting up protobufjs was a third
 * of a CLI call's start-up, which agents pay hundreds of times an hour.
 */

interface FieldJson {
  type: string;
  id: number;
  rule?: 'repeated';
  options?: { proto3_optional?: boolean };
}
interface TypeJson {
  fields?: Record<string, FieldJson>;
  oneofs?: Record<string, { oneof: string[] }>;
  methods?: Record<string, { requestType: string; responseType: string; responseStream?: boolean }>;
}

interface Field {
  name: string;
  id: number;
  kind: 'string' | 'bool' | 'int32' | 'int64' | 'double' | 'message';
  message?: string;
  repeated: boolean;
  optional: boolean;
  /** The synthetic oneof (`_title`) of a proto3 optional field. */
  oneof?: string;
}

const TYPES = (
  descriptor as unknown as { nested: { maestro: { nested: { v1: { nested: Record<string, TypeJson> } } } } }
).nested.maestro.nested.v1.nested;
const SCALARS = new Set(['string', 'bool', 'int32', 'int64', 'double']);
const compiled = new Map<string, Field[]>();

function fieldsOf(typeName: string): Field[] {
  const name = typeName.replace(/^(\.?maestro\.v1\.)/, '');
  let fields = compiled.get(name);
  if (fields) return fields;
  const type = TYPES[name];
  if (!type?.fields) throw new Error(`Unknown message type ${typeName}`);
  const oneofOf = new Map<string, string>();
  for (const [oneof, { oneof: members }] of Object.entries(type.oneofs ?? {}))
    for (const m of members) oneofOf.set(m, oneof);
  fields = Object.entries(type.fields)
    .map(([fieldName, f]) => ({
      name: fieldName,
      id: f.id,
      kind: (SCALARS.has(f.type) ? f.type : 'message') as Field['kind'],
      message: SCALARS.has(f.type) ? undefined : f.type,
      repeated: f.rule === 'repeated',
      optional: f.options?.proto3_optional === true,
      oneof: oneofOf.get(fieldName),
    }))
    .sort((a, b) => a.id - b.id);
  compiled.set(name, fields);
  return fields;
}

// ---- encoding -------------------------------------------------------------------------------

class Writer {
  private chunks: Buffer[] = [];
  private bytes: number[] = [];
  private flush(): void {
    if (this.bytes.length) {
      this.chunks.push(Buffer.from(this.bytes));
      this.bytes = [];
    }
  }
  varint(value: number): void {
    if (value < 0) {
      // Negative int32/int64: ten-byte two's complement.
      let v = BigInt.asUintN(64, BigInt(value));
      while (v > 0x7fn) {
        this.bytes.push(Number(v & 0x7fn) | 0x80);
        v >>= 7n;
      }
      this.bytes.push(Number(v));
      return;
    }
    while (value > 0x7f) {
      this.bytes.push((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    this.bytes.push(value);
  }
  tag(id: number, wire: number): void {
    this.varint(id * 8 + wire);
  }
  fixed64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    this.flush();
    this.chunks.push(b);
  }
  raw(buffer: Buffer): void {
    this.varint(buffer.length);
    this.flush();
    this.chunks.push(buffer);
  }
  finish(): Buffer {
    this.flush();
    return Buffer.concat(this.chunks);
  }
}

function encodeValue(w: Writer, field: Field, value: unknown): void {
  switch (field.kind) {
    case 'string':
      w.tag(field.id, 2);
      w.raw(Buffer.from(String(value), 'utf8'));
      return;
    case 'bool':
      w.tag(field.id, 0);
      w.varint(value ? 1 : 0);
      return;
    case 'int32':
    case 'int64':
      w.tag(field.id, 0);
      w.varint(Math.trunc(Number(value)));
      return;
    case 'double':
      w.tag(field.id, 1);
      w.fixed64(Number(value));
      return;
    case 'message':
      w.tag(field.id, 2);
      w.raw(encodeMessage(field.message!, value as Record<string, unknown>));
  }
}

const isDefault = (field: Field, value: unknown) =>
  value === undefined ||
  value === null ||
  (!field.optional && (value === '' || value === 0 || value === false) && field.kind !== 'message');

export function encodeMessage(typeName: string, value: Record<string, unknown>): Buffer {
  const w = new Writer();
  for (const field of fieldsOf(typeName)) {
    const v = value[field.name];
    if (field.repeated) {
      for (const item of (v as unknown[] | undefined) ?? []) encodeValue(w, field, item);
    } else if (!isDefault(field, v)) encodeValue(w, field, v);
  }
  return w.finish();
}

// ---- decoding -------------------------------------------------------------------------------

class Reader {
  pos = 0;
  constructor(
    private readonly buf: Buffer,
    readonly end = buf.length,
  ) {}
  varint(): number {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buf[this.pos++]!;
      if (shift < 28) lo |= (byte & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (byte & 0x0f) << 28;
        hi |= (byte & 0x7f) >> 4;
      } else hi |= (byte & 0x7f) << (shift - 32);
      shift += 7;
      if (byte < 0x80) break;
    }
    lo >>>= 0;
    // Values past 2^63 are negative numbers in two's complement.
    return hi & 0x80000000 ? -((~hi >>> 0) * 2 ** 32 + ((~lo >>> 0) + 1)) : (hi >>> 0) * 2 ** 32 + lo;
  }
  double(): number {
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }
  bytes(): Buffer {
    const length = this.varint();
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.pos += this.varint();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`Unsupported wire type ${wire}`);
  }
}

function defaults(fields: Field[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // proto-loader lists repeated fields first, then the others, each in field order.
  for (const f of fields) if (f.repeated) out[f.name] = [];
  for (const f of fields) {
    if (f.repeated || f.optional) continue;
    out[f.name] = f.kind === 'string' ? '' : f.kind === 'bool' ? false : f.kind === 'message' ? null : 0;
  }
  return out;
}

export function decodeMessage(typeName: string, buf: Buffer): Record<string, unknown> {
  const fields = fieldsOf(typeName);
  const byId = new Map(fields.map((f) => [f.id, f]));
  const out = defaults(fields);
  const r = new Reader(buf);
  while (r.pos < r.end) {
    const tag = r.varint();
    const field = byId.get(Math.floor(tag / 8));
    const wire = tag & 7;
    if (!field) {
      r.skip(wire);
      continue;
    }
    let value: unknown;
    switch (field.kind) {
      case 'string':
        value = r.bytes().toString('utf8');
        break;
      case 'bool':
        value = r.varint() !== 0;
        break;
      case 'int32':
        value = r.varint() | 0;
        break;
      case 'int64':
        value = r.varint();
        break;
      case 'double':
        value = wire === 1 ? r.double() : 0;
        break;
      case 'message':
        value = decodeMessage(field.message!, r.bytes());
        break;
    }
    if (field.repeated) (out[field.name] as unknown[]).push(value);
    else {
      out[field.name] = value;
      if (field.oneof) out[field.oneof] = field.name;
    }
  }
  return out;
}

export interface MethodCodec {
  /** The HTTP/2 path of the method, `/maestro.v1.Tasks/Get`. */
  path: string;
  serialize(request: object): Buffer;
  deserialize(reply: Buffer): Record<string, unknown>;
}

export function methodCodec(service: string, method: string): MethodCodec | undefined {
  const m = TYPES[service]?.methods?.[method];
  if (!m) return undefined;
  return {
    path: `/maestro.v1.${service}/${method}`,
    serialize: (value) => encodeMessage(m.requestType, value as Record<string, unknown>),
    deserialize: (bytes) => decodeMessage(m.responseType, bytes),
  };
}
