import { cleanup, render } from 'ink-testing-library';
import { afterEach } from 'vitest';
import { MaestroClient } from '../../cli/client.js';
import { App, type TerminalSize } from '../../cli/tui/app.js';
import { TuiStore } from '../../cli/tui/store.js';
import type { RunningServer } from '../../src/gateway/server.js';
import { waitFor } from '../support/wait.js';

/**
 * The App mounted against a real server: its store talks to it with the CLI's own gRPC client, so
 * every key press makes the call the CLI command makes. Stores, clients and renders are closed
 * after each test of the file that calls `tuiMounts()`.
 */
export function tuiMounts() {
  const stores: TuiStore[] = [];
  const clients: MaestroClient[] = [];
  afterEach(() => {
    for (const s of stores.splice(0)) s.close();
    cleanup();
    for (const c of clients.splice(0)) c.close();
  });

  const clientFor = (s: RunningServer): MaestroClient => {
    const client = new MaestroClient({
      server: `127.0.0.1:${s.grpc.port}`,
      token: s.token,
      actor: 'tui-user',
      attempts: 2,
      retryBaseMs: 20,
    });
    clients.push(client);
    return client;
  };

  /** Mounts the App on a project; `size: null` follows the (fake) terminal's own size and resizes. */
  async function mount(
    server: RunningServer,
    projectId: string,
    size: TerminalSize | null = { columns: 120, rows: 30 },
  ) {
    const client = clientFor(server);
    const store = new TuiStore({
      client,
      resolveProject: () => client.op('project.get', { id: projectId }),
      batchMs: 30,
      reconnectBaseMs: 50,
      reconnectMaxMs: 200,
    });
    stores.push(store);
    const app = render(<App store={store} size={size ?? undefined} />);
    store.start();
    const frame = () => app.lastFrame() ?? '';
    await waitFor('the board to load', () => frame().includes('● live'));
    return {
      store,
      app,
      frame,
      /**
       * Sends keys one write at a time, as a terminal delivers separate key presses. Between keys it
       * lets the event loop turn: ink reads a lone ESC on the next turn, and React runs the effects
       * that re-bind the key handlers on the ones after it.
       */
      press: async (...keys: string[]) => {
        for (const key of keys) {
          app.stdin.write(key);
          for (let turn = 0; turn < 3; turn++) await new Promise((r) => setImmediate(r));
        }
      },
      waitFor: (what: string, test: (frame: string) => boolean, timeoutMs?: number) =>
        waitFor(what, () => test(frame()) && frame(), { timeoutMs }),
    };
  }

  return { mount };
}
