import { describe, expect, it } from 'vitest';
import descriptor from '../generated/descriptor.json' with { type: 'json' };
import { OPERATIONS, STREAMS, operationForMethod, type OperationSpec } from './operations.js';
import type { FieldSpec } from './schema.js';

/**
 * The operation registry and proto/maestro/v1 agree: every operation carried over gRPC names a
 * method that exists, each method belongs to exactly one operation, and a method's request
 * message has exactly the operation's arguments, each with a type that carries it. (The gRPC
 * handlers read only the fields the registry declares, so a proto field without an argument would
 * be dropped without a word, and an argument without a field could never be sent.)
 */
interface ProtoField {
  type: string;
  rule?: string;
  options?: { proto3_optional?: boolean };
}
interface ProtoType {
  fields?: Record<string, ProtoField>;
  methods?: Record<string, { requestType: string; responseType: string; responseStream?: boolean }>;
  values?: Record<string, number>;
}
const v1 = (
  descriptor as unknown as { nested: { maestro: { nested: { v1: { nested: Record<string, ProtoType> } } } } }
).nested.maestro.nested.v1.nested;
const services = Object.entries(v1).filter(([, t]) => t.methods);

const carried = [
  ...Object.entries(OPERATIONS).map(([name, spec]) => ({ name, spec: spec as OperationSpec, stream: false })),
  ...Object.entries(STREAMS).map(([name, spec]) => ({ name, spec: spec as OperationSpec, stream: true })),
].filter((o) => o.spec.grpc);

/** The proto types that can carry a value of this argument kind. */
function carriers(spec: FieldSpec): string[] {
  switch (spec.kind) {
    case 'string':
      return ['string'];
    case 'int':
      return ['int32', 'int64', 'uint32', 'uint64'];
    case 'bool':
      return ['bool'];
    case 'enum':
      return ['string'];
    case 'list':
      return carriers(spec.item);
    case 'object':
      return ['message'];
  }
}

function requestOf(service: string, method: string) {
  const rpc = v1[service]?.methods?.[method];
  if (!rpc) return undefined;
  return { rpc, request: v1[rpc.requestType]! };
}

describe('the operation registry and the proto agree', () => {
  it('every proto method belongs to exactly one operation, of the right kind (unary or stream)', () => {
    expect(services.length).toBeGreaterThan(5);
    for (const [service, type] of services) {
      for (const [method, rpc] of Object.entries(type.methods!)) {
        const owners = carried.filter(
          (o) => o.spec.grpc!.service === service && o.spec.grpc!.method === method,
        );
        expect(
          owners.map((o) => o.name),
          `${service}.${method}`,
        ).toHaveLength(1);
        expect(operationForMethod(service, method)?.stream, `${service}.${method} streams`).toBe(
          rpc.responseStream === true,
        );
      }
    }
  });

  it.each(carried.map((o) => [o.name, o] as const))(
    '%s: its method exists and its request has its arguments',
    (name, o) => {
      const { service, method } = o.spec.grpc!;
      const found = requestOf(service, method);
      expect(found, `${name} names ${service}.${method}, which proto/maestro/v1 does not have`).toBeDefined();
      const fields = found!.request.fields ?? {};
      for (const arg of Object.keys(o.spec.args))
        expect(Object.keys(fields), `${name}: ${found!.rpc.requestType} has a field ${arg}`).toContain(arg);
      for (const [arg, field] of Object.entries(o.spec.args)) {
        const proto = fields[arg]!;
        const spec = field.spec;
        const where = `${name} ${arg} (${found!.rpc.requestType}.${arg}: ${proto.rule ?? ''} ${proto.type})`;
        expect(proto.rule === 'repeated', `${where}: a list is repeated and only a list`).toBe(
          spec.kind === 'list',
        );
        const kind = v1[proto.type]?.fields ? 'message' : v1[proto.type]?.values ? 'string' : proto.type;
        expect(carriers(spec), where).toContain(kind);
        // A proto3 `optional` field is one a caller may leave out.
        if (proto.options?.proto3_optional)
          expect('optional' in spec && spec.optional, `${where} is optional`).toBe(true);
      }
    },
  );

  it('every field of a request message is an argument of an operation that takes it', () => {
    const byRequest = new Map<string, Set<string>>();
    for (const o of carried) {
      const found = requestOf(o.spec.grpc!.service, o.spec.grpc!.method);
      if (!found) continue;
      const args = byRequest.get(found.rpc.requestType) ?? new Set<string>();
      for (const arg of Object.keys(o.spec.args)) args.add(arg);
      byRequest.set(found.rpc.requestType, args);
    }
    expect(byRequest.size).toBeGreaterThan(10);
    for (const [requestType, args] of byRequest)
      for (const field of Object.keys(v1[requestType]!.fields ?? {}))
        expect([...args], `${requestType}.${field} is read by no operation`).toContain(field);
  });
});
