import { describe, expect, it } from 'vitest';
import { FrameReader } from './grpc-transport.js';

const frame = (body: Buffer) => {
  const out = Buffer.alloc(5 + body.length);
  out.writeUInt32BE(body.length, 1);
  body.copy(out, 5);
  return out;
};

describe('the CLI transport reads gRPC messages from any split of the body', () => {
  const bodies = [Buffer.from('a'), Buffer.alloc(0), Buffer.alloc(70_000, 7), Buffer.from('hello world')];
  const wire = Buffer.concat(bodies.map(frame));

  const read = (chunks: Buffer[]) => {
    const got: Buffer[] = [];
    const reader = new FrameReader((m) => got.push(Buffer.from(m)));
    for (const c of chunks) reader.push(c);
    return got;
  };

  it('in one chunk, byte by byte, and in chunks of every size around the headers', () => {
    expect(read([wire])).toEqual(bodies);
    expect(read([...wire].map((b) => Buffer.from([b])))).toEqual(bodies);
    for (const size of [2, 3, 5, 6, 4096, 16_384, 65_536]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < wire.length; i += size) chunks.push(wire.subarray(i, i + size));
      expect(read(chunks)).toEqual(bodies);
    }
  });

  it('holds back a message until all of it has come', () => {
    const got: Buffer[] = [];
    const reader = new FrameReader((m) => got.push(m));
    const one = frame(Buffer.from('abcdef'));
    reader.push(one.subarray(0, 8));
    expect(got).toHaveLength(0);
    reader.push(one.subarray(8));
    expect(got.map(String)).toEqual(['abcdef']);
  });
});
