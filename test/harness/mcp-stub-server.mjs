#!/usr/bin/env node
// The smallest stdio MCP server Claude Code accepts: one tool, `whoami`, answering a fixed text.
// It lets the harness tests check --mcp-config end to end before `maestro mcp` exists.
import { createInterface } from 'node:readline';

const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
const answer = process.argv[2] ?? 'session s_7 on task t_42';

createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line);
  if (message.id === undefined) return;
  if (message.method === 'initialize') {
    send({
      id: message.id,
      result: {
        protocolVersion: message.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'maestro-stub', version: '0.0.0' },
      },
    });
  } else if (message.method === 'tools/list') {
    const inputSchema = { type: 'object', properties: {}, additionalProperties: false };
    send({
      id: message.id,
      result: { tools: [{ name: 'whoami', description: 'Who this worker is', inputSchema }] },
    });
  } else if (message.method === 'tools/call') {
    send({ id: message.id, result: { content: [{ type: 'text', text: answer }] } });
  } else {
    send({ id: message.id, result: {} });
  }
});
