/**
 * The parts of docs/ that are generated from the code's registries, so that the reference cannot
 * drift from what the code does: each command's usage line in docs/cli.md (from the CLI's command
 * registry), the WebSocket operations of docs/websocket-protocol.md and the limits table of
 * docs/errors.md (from the operation registry). `test/docs/generated.test.ts` fails when a doc
 * differs; `npm run docs` rewrites them.
 *
 * A generated part sits between `<!-- generated: NAME -->` and `<!-- end generated -->`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import prettier from 'prettier';
import { COMMANDS } from '../cli/commands/index.js';
import { usageLine } from '../cli/registry.js';
import {
  ACCESS_WHO,
  LIMITS,
  OPERATIONS,
  STREAMS,
  type Access,
  type OperationSpec,
} from '../src/contract/operations.js';
import { describeField } from '../src/contract/schema.js';
import {
  DEFAULT_TOOL_OPERATIONS,
  MCP_OPERATIONS,
  WAIT_TOOL,
  selectTools,
  toolDefinition,
  toolDefinitions,
  waitToolDefinition,
} from '../src/mcp/tools.js';

const root = new URL('..', import.meta.url);
export const docPath = (name: string) => fileURLToPath(new URL(`docs/${name}`, root));

type Renderer = () => string;

const fence = (text: string) => ['```', text, '```'].join('\n');

/**
 * `usage: task create` renders that command's usage line; `usage: subtask create | subtask list`
 * several, in one block.
 */
function usage(names: string): string {
  return fence(
    names
      .split('|')
      .map((name) => {
        const command = COMMANDS.find((c) => c.path.join(' ') === name.trim());
        if (!command) throw new Error(`docs/cli.md names an unknown command '${name.trim()}'`);
        return usageLine(command);
      })
      .join('\n'),
  );
}

/** The commands docs/cli.md shows a usage line for. */
export function documentedCommands(doc: string): string[] {
  return [...doc.matchAll(/<!-- generated: usage: ([^>]+) -->/g)].flatMap((m) =>
    m[1]!.split('|').map((n) => n.trim()),
  );
}

const opsTable: Renderer = () => {
  const rows = Object.entries(OPERATIONS as Record<string, OperationSpec>)
    .filter(([, spec]) => spec.access !== 'runner')
    .map(([name, spec]) => {
      const args = Object.entries(spec.args)
        .map(([arg, field]) => `\`${arg}\`: ${describeField(field.spec)}`)
        .join('; ');
      return `| \`${name}\` | ${spec.mutates ? 'yes' : 'no'} | ${args || '—'} | ${spec.summary} |`;
    });
  return ['| op | mutates | args | what it does |', '| --- | --- | --- | --- |', ...rows].join('\n');
};

const runnerOpsTable: Renderer = () => {
  const rows = Object.entries(OPERATIONS as Record<string, OperationSpec>)
    .filter(([, spec]) => spec.access === 'runner')
    .map(([name, spec]) => {
      const args = Object.entries(spec.args)
        .map(([arg, field]) => `\`${arg}\`: ${describeField(field.spec)}`)
        .join('; ');
      return `| \`${name}\` | ${args} | ${spec.summary} |`;
    });
  return ['| op | args | what it does |', '| --- | --- | --- |', ...rows].join('\n');
};

const LIMIT_WORDS: Record<keyof typeof LIMITS, string> = {
  id: 'an id (characters)',
  title: 'a task or subtask title (characters)',
  description: 'a task description (characters)',
  reason: 'a block reason (characters)',
  reportMessage: 'a report message (characters)',
  projectName: 'a project name (characters)',
  projectDescription: 'a project description (characters)',
  workingDir: 'a working directory (characters)',
  labels: 'labels on one task, and labels in one request',
  label: 'one label (characters)',
  dependsOn: 'dependencies given in one request',
  sessionName: 'a session name (characters)',
  skill: 'a skill name (characters)',
  timeline: 'timeline entries in one `task get`',
  eventsPage: 'events in one page',
  leaseSeconds: 'a lease (seconds)',
  version: 'a version number',
  runnerOutput: 'one chunk of terminal output from a runner (characters)',
  runnerSessions: 'sessions in one runner heartbeat',
  statusFilters: 'statuses or priorities in one filter',
  message: 'a message sent to a session (characters)',
  checksCommand: "a project's checks command (characters)",
  tasksPage: 'tasks in one page of `task.list` (also its default)',
  pageToken: 'a page token (characters)',
};

const limitsTable: Renderer = () =>
  [
    '| what | limit |',
    '| --- | --- |',
    ...(Object.keys(LIMITS) as (keyof typeof LIMITS)[]).map(
      (k) => `| ${LIMIT_WORDS[k]} | ${LIMITS[k].toLocaleString('en-US')} |`,
    ),
  ].join('\n');

/** Every operation and stream by its `access`: who may call it (docs/configuration.md). */
const accessTable: Renderer = () => {
  const all = { ...OPERATIONS, ...STREAMS } as Record<string, OperationSpec>;
  const levels = Object.keys(ACCESS_WHO) as Access[];
  return [
    '| access | who may call it | operations |',
    '| --- | --- | --- |',
    ...levels.map((level) => {
      const ops = Object.entries(all)
        .filter(([, spec]) => spec.access === level)
        .map(([name]) => `\`${name}\``);
      return `| \`${level}\` | ${ACCESS_WHO[level]} | ${ops.join(', ')} |`;
    }),
  ].join('\n');
};

/** The tools of `maestro mcp` (docs/mcp.md): every one, and whether the default set has it. */
const mcpToolsTable: Renderer = () => {
  const defaults = new Set<string>(DEFAULT_TOOL_OPERATIONS);
  return [
    '| tool | operation | default | changes state | arguments (required in bold) |',
    '| --- | --- | --- | --- | --- |',
    ...MCP_OPERATIONS.map((op) => {
      const tool = toolDefinition(op);
      const required = new Set(tool.inputSchema.required ?? []);
      const args = Object.keys(tool.inputSchema.properties)
        .map((a) => (required.has(a) ? `**\`${a}\`**` : `\`${a}\``))
        .join(', ');
      const spec = (OPERATIONS as Record<string, OperationSpec>)[op]!;
      return `| \`${tool.name}\` | \`${op}\` | ${defaults.has(op) ? 'yes' : ''} | ${spec.mutates ? 'yes' : 'no'} | ${args || '—'} |`;
    }),
    `| \`${WAIT_TOOL}\` | — (\`maestro wait\`) | ${selectTools('default').wait ? 'yes' : ''} | no | ${Object.keys(
      waitToolDefinition().inputSchema.properties,
    )
      .map((a) => `\`${a}\``)
      .join(', ')} |`,
  ].join('\n');
};

/**
 * What the tool definitions of `maestro mcp` cost (docs/mcp.md): as tools/list serves them, and as
 * Claude Code sends them to the Messages API. `npm run bench:mcp` prints the same counts from the
 * running server and from the real Claude Code's request.
 */
const mcpCostTable: Renderer = () => {
  const n = (x: number) => x.toLocaleString('en-US');
  const rows = (
    [
      ['default', selectTools('default')],
      ['`--tools all`', selectTools('all')],
    ] as const
  ).map(([set, chosen]) => {
    const tools = toolDefinitions(chosen);
    const served = JSON.stringify(tools);
    const sent = JSON.stringify(
      tools.map((t) => ({
        name: `mcp__maestro__${t.name}`,
        description: t.description,
        input_schema: t.inputSchema,
      })),
    );
    return `| ${set} | ${tools.length} | ${n(served.length)} | ${n(countTokens(served))} | ${n(Math.ceil(served.length / 4))} | ${n(countTokens(sent))} |`;
  });
  return [
    '| set | tools | characters | o200k tokens | characters / 4 | o200k tokens as Claude Code sends them |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
};

export const GENERATED: Record<string, Record<string, Renderer>> = {
  'cli.md': {},
  'configuration.md': { access: accessTable },
  'websocket-protocol.md': { 'websocket ops': opsTable, 'runner ops': runnerOpsTable },
  'errors.md': { limits: limitsTable },
  'mcp.md': { 'mcp tools': mcpToolsTable, 'mcp cost': mcpCostTable },
};

const START = (name: string) => `<!-- generated: ${name} -->`;
const END = '<!-- end generated -->';

/** The doc with every generated part rendered anew, formatted as `prettier --write` would. */
export async function render(file: string): Promise<string> {
  const path = docPath(file);
  let doc = readFileSync(path, 'utf8');
  const parts: [string, Renderer][] = Object.entries(GENERATED[file] ?? {});
  if (file === 'cli.md') {
    for (const m of doc.matchAll(/<!-- generated: (usage: [^>]+) -->/g)) {
      parts.push([m[1]!, () => usage(m[1]!.slice('usage: '.length))]);
    }
  }
  for (const [name, renderer] of parts) {
    const start = doc.indexOf(START(name));
    if (start < 0) throw new Error(`docs/${file} has no generated part '${name}' (${START(name)})`);
    const end = doc.indexOf(END, start);
    if (end < 0) throw new Error(`docs/${file}: '${name}' has no ${END}`);
    doc = `${doc.slice(0, start + START(name).length)}\n\n${renderer()}\n\n${doc.slice(end)}`;
  }
  const options = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(doc, { ...options, filepath: path });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of Object.keys(GENERATED)) {
    writeFileSync(docPath(file), await render(file));
    console.log(`wrote the generated parts of docs/${file}`);
  }
}
