import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { wireBatch, wireFrame } from './ws-server.js';

/** Frames built once and written as bytes must read back, through a real client, as the messages. */
describe('shared WebSocket frames', () => {
  it('reach a ws client intact at every length encoding (7-bit, 16-bit, 64-bit)', async () => {
    const texts = ['{"a":1}', 'x'.repeat(125), 'é'.repeat(200), 'y'.repeat(65_535), 'z'.repeat(70_000)];
    const http = createServer();
    const wss = new WebSocketServer({ server: http });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    wss.on('connection', (ws) => {
      const socket = (ws as unknown as { _socket: { write(b: Buffer): void } })._socket;
      for (const text of texts) socket.write(wireFrame({ text }));
      // A batch of frames as one buffer: the same messages, in order.
      socket.write(wireBatch(texts.map((text) => ({ text }))));
    });
    const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
    const got: string[] = [];
    await new Promise<void>((resolve, reject) => {
      client.on('message', (data, binary) => {
        expect(binary).toBe(false);
        got.push(String(data));
        if (got.length === 2 * texts.length) resolve();
      });
      client.on('error', reject);
    });
    expect(got).toEqual([...texts, ...texts]);
    // The same frame object gives the same bytes (built once), and the same batch array too.
    const frame = { text: 'once' };
    expect(wireFrame(frame)).toBe(wireFrame(frame));
    const batch = [frame, { text: 'twice' }];
    expect(wireBatch(batch)).toBe(wireBatch(batch));
    client.close();
    wss.close();
    http.close();
  });
});
