import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MaestroWsClient } from '../../src/client/ws-client.js';
import { App } from './app.js';
import { BoardStore } from './board-store.js';
import { clientMemory } from './client-memory.js';
import { StoreContext } from './store-context.js';
// The graph's stylesheet is in app.css (a lazy chunk's CSS would not be loaded with it).
import '@xyflow/react/dist/style.css';
import '@xterm/xterm/css/xterm.css';
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
// The open project is in the URL (`?project=p-2`), so a link opens that board and Back goes back.
const urlProject = {
  current: () => new URLSearchParams(location.search).get('project'),
  show: (projectId: string, push: boolean) => {
    const url = new URL(location.href);
    if (url.searchParams.get('project') === projectId) return;
    url.searchParams.set('project', projectId);
    if (push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  },
};
const store = new BoardStore(client, memory, urlProject);
window.addEventListener('popstate', () => {
  const id = urlProject.current();
  if (id) store.switchProject(id, false);
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
