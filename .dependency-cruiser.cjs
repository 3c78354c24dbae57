/**
 * The import boundaries of docs/architecture.md ("Layers and import direction"), checked in CI by
 * `npm run lint`. A rule here is the boundary; the doc's table says the same in words.
 */
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

module.exports = {
  forbidden: [
    forbid(
      'no-cycles',
      'Modules of the project never import each other in a circle.',
      {},
      { circular: true },
    ),
    forbid(
      'contract-is-a-leaf',
      'src/contract is what both sides of the wire share: it imports only itself, src/shared and the generated protos.',
      { path: '^src/contract/' },
      { path: '^(src|cli|web)/', pathNot: '^src/(contract|shared|generated)/' },
    ),
    forbid(
      'shared-imports-nothing',
      'src/shared (background work, backoff) serves every layer and depends on none.',
      { path: '^src/shared/' },
      { path: '^(src|cli|web)/', pathNot: '^src/shared/' },
    ),
    forbid(
      'machines-are-pure',
      'Machines import xstate, the contract and each other: no services or gateway.',
      { path: '^src/machines/' },
      { path: '^(src|cli|web)/', pathNot: '^src/(machines|contract|shared)/' },
    ),
    forbid(
      'machines-without-io',
      'Machines import no ORM, gRPC, ws or database driver.',
      { path: '^src/machines/' },
      { path: 'node_modules/(@mikro-orm|@grpc|ws|pg|better-sqlite3)/' },
    ),
    forbid(
      'services-below-the-gateway',
      'Services are the only code that touches the ORM; they never import the gateway, runners, clients, the CLI or the web UI.',
      { path: '^src/services/' },
      { path: '^(src/(gateway|runner|client)|cli|web)/' },
    ),
    forbid(
      'orm-only-in-services',
      'Only src/services (and the server composition root through it) loads the ORM and the database drivers.',
      { path: '^(src/(contract|machines|shared|client|runner|config)|cli|web)/' },
      { path: 'node_modules/(@mikro-orm|knex|better-sqlite3|pg)/' },
    ),
    forbid(
      'gateway-reads-constants-from-the-contract',
      'The gateway drives machines through services; of src/machines it uses only the connection machine (its own WebSocket peers).',
      { path: '^src/gateway/' },
      { path: '^src/machines/', pathNot: '^src/machines/connection\\.machine\\.ts$' },
    ),
    forbid(
      'workspaces-are-git-only',
      'The git engine (src/workspaces) runs git; it never imports services, the gateway, runners or clients.',
      { path: '^src/workspaces/' },
      { path: '^(src|cli|web)/', pathNot: '^src/(workspaces|shared|contract|machines)/' },
    ),
    forbid(
      'agents-are-pure',
      'Agent adapters (src/agents) build launch plans and read harness output: they import the contract and shared code only.',
      { path: '^src/agents/' },
      { path: '^(src|cli|web)/', pathNot: '^src/(agents|contract|shared)/' },
    ),
    forbid(
      'runner-over-the-wire',
      'A runner talks to the server through the WebSocket client only.',
      { path: '^src/runner/' },
      { path: '^(src/(services|gateway|machines)|cli|web)/' },
    ),
    forbid(
      'client-over-the-wire',
      'The client library (web UI, TUI, runner) knows the contract and the connection machine, nothing of the server.',
      { path: '^src/client/' },
      {
        path: '^(src|cli|web)/',
        pathNot: '^src/(client|contract|shared|machines/connection\\.machine\\.ts)',
      },
    ),
    forbid(
      'client-core-without-ui',
      'The client core (src/client) is shared by the web UI and the TUI: it imports no UI library and no server package.',
      { path: '^src/client/' },
      { path: 'node_modules/(ink|react|react-dom|@mikro-orm|@grpc|pg|better-sqlite3|knex)/' },
    ),
    forbid(
      'cli-over-the-wire',
      'The CLI reaches the server over gRPC. Only `server start` loads the server, and `maestro runner` a runner, each lazily.',
      { path: '^cli/', pathNot: '^cli/commands/(server|runner)\\.ts$' },
      { path: '^src/(services|gateway|machines|runner)/' },
    ),
    forbid(
      'mcp-over-the-wire',
      'The MCP server (src/mcp) serves the operation registry through the client it is given: it imports the contract and shared code only.',
      { path: '^src/mcp/' },
      { path: '^(src|cli|web)/', pathNot: '^src/(mcp|contract|shared)/' },
    ),
    forbid(
      'mcp-sdk-only-in-src-mcp',
      'Only src/mcp loads the MCP SDK (benchmarks may use its client).',
      { path: '^(src|cli|web)/', pathNot: '^src/mcp/' },
      { path: 'node_modules/@modelcontextprotocol/' },
    ),
    forbid(
      'mcp-server-loaded-lazily',
      'The CLI loads the MCP server (and so the SDK) only in `maestro mcp`, by a dynamic import.',
      { path: '^cli/' },
      { path: '^src/mcp/server\\.ts$', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    ),
    forbid(
      'web-over-the-wire',
      'The web UI reaches the server over the WebSocket client library.',
      { path: '^web/' },
      { path: '^(src/(services|gateway|runner|machines|config)|cli)/' },
    ),
    forbid(
      'json-path-without-ink',
      'The CLI outside the TUI never imports ink or react (they cost ~300 ms of start-up).',
      { path: '^cli/', pathNot: '^cli/(tui/|commands/tui\\.ts$)' },
      { path: 'node_modules/(ink|react|react-dom)/', dependencyTypesNot: ['type-only'] },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage|node_modules)/|\\.test\\.tsx?$|^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
  },
};
