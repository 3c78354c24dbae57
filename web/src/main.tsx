import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MaestroWsClient } from '../client/maestro-client.js';
import { App } from './app.js';
import { BoardStore } from './board-store.js';
import { clientMemory } from './client-memory.js';
import { StoreContext } from './store-context.js';
import './app.css';

// The page is served by the server it talks to; the token travels as the cookie `/?token=` set.
const memory = clientMemory(window.localStorage);
const client = new MaestroWsClient({
  url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
  clientId: memory.clientId,
  ...(memory.lastSeq !== undefined ? { lastSeq: memory.lastSeq } : {}),
  watchNetwork: true,
  outbox: memory.outbox,
  onRestoredFailure: (command, error) => store.restoredCommandFailed(command.op, error),
});
// A server whose newest event is older than the last one we processed has a different log (a new
// database): replaying from our seq would skip everything up to it, so start over without it.
client.onWelcome((seq) => {
  if (seq < client.info.lastSeq) {
    memory.forgetSeq();
    location.reload();
  }
});
const store = new BoardStore(client, memory);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
