import { browserSuite, WEB_ROOT } from '../support/browser.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Locator, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { ROOT, cliData, cliEnv } from '../support/cli.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';

/**
 * The web UI in a real Chromium against real servers: live updates between pages and from the CLI,
 * the connection badge across a server restart, and a change made offline applied exactly once.
 * Needs `npm run build` (web/dist and the CLI) and Debian's chromium at /usr/bin/chromium.
 */

const SHOTS = join(ROOT, 'test-results');
const WAIT = { timeout: 15_000 };

interface Task {
  id: string;
  title: string;
  status: string;
}

// Every server a test starts (restarts included) is closed after it, and its home removed.
const suite = browserSuite();
const { contexts, servers, homes } = suite;

function newHome(): { home: string } {
  const h = tempHome();
  homes.push(h);
  return h;
}

async function start(home: string, httpPort = 0): Promise<RunningServer> {
  const server = await startTestServer(
    home,
    // No spawning here, so no in-process runner: its socket would only add noise to the logs.
    { httpAddr: `127.0.0.1:${httpPort}`, grpcAddr: '127.0.0.1:0', runner: 'off' },
    { webRoot: WEB_ROOT, ws: { pingIntervalMs: 1000 } },
  );
  servers.push(server);
  return server;
}

/** A fresh browser profile on the board, signed in through the server's token link. */
async function openBoard(server: RunningServer): Promise<Page> {
  const context = await suite.browser.newContext({ viewport: { width: 1440, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${server.http.port}/?token=${server.token}`);
  await badge(page, 'open').waitFor(WAIT);
  await page.getByTestId('project-name').filter({ hasText: 'default' }).waitFor(WAIT);
  return page;
}

const badge = (page: Page, state: string): Locator =>
  page.locator(`[data-testid="connection-badge"][data-state="${state}"]`);

const card = (page: Page, status: string, title: string): Locator =>
  page.getByTestId(`column-${status}`).locator('[data-testid^="task-card-"]', { hasText: title });

async function cardId(locator: Locator): Promise<string> {
  const testId = await locator.getAttribute('data-testid');
  return (testId ?? '').replace('task-card-', '');
}

async function createInUi(page: Page, title: string): Promise<void> {
  await page.getByTestId('new-task-title').fill(title);
  await page.getByTestId('new-task-submit').click();
}

describe('the web UI', () => {
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
  });

  it("two pages see each other's changes live", async () => {
    const home = newHome();
    const server = await start(home.home);
    const api = TestClient.for(server, { actor: 'agent-7' });
    try {
      const [a, b] = await Promise.all([openBoard(server), openBoard(server)]);

      await createInUi(a, 'Live from A');
      const inB = card(b, 'pending', 'Live from A');
      await inB.waitFor(WAIT);
      const id = await cardId(inB);
      expect(id).toMatch(/^t_\d+$/);

      await inB.click();
      await b.getByTestId('task-detail').waitFor(WAIT);
      await b.getByTestId('action-start').click();
      await a.locator(`[data-testid="column-in_progress"] [data-testid="task-card-${id}"]`).waitFor(WAIT);
      await expect(card(a, 'pending', 'Live from A').count()).resolves.toBe(0);
      await expect(a.getByTestId(`task-card-${id}`).getByTestId('card-claim').textContent()).resolves.toMatch(
        /held by web:/,
      );

      // Blocking asks for a reason, which the other page shows on the card.
      await b.getByTestId('action-block').click();
      await b.getByTestId('block-reason').fill('Waiting for the API keys');
      await b.getByTestId('block-confirm').click();
      const blocked = a.getByTestId('column-blocked').getByTestId(`task-card-${id}`);
      await blocked
        .getByTestId('card-blocked-reason')
        .filter({ hasText: 'Waiting for the API keys' })
        .waitFor(WAIT);

      // An edit made against an older version is refused; the server's message comes back as a toast.
      await b.getByTestId('detail-title').fill('Live from A, renamed');
      await api.call('Tasks', 'update', { id, description: 'Changed by an agent meanwhile' });
      await b.getByText('Changed by someone else since you started editing.').waitFor(WAIT);
      await b.getByTestId('detail-save').click();
      await b
        .locator('[data-testid="toast"][data-kind="error"]', { hasText: 'someone changed it first' })
        .waitFor(WAIT);
      await b.getByRole('button', { name: 'Discard' }).click();
      await b.getByTestId('detail-title').fill('Live from A, renamed');
      await b.getByTestId('detail-save').click();
      await card(a, 'blocked', 'Live from A, renamed').waitFor(WAIT);

      // Subtasks added and ticked in one page update the card's count in the other.
      await b.getByTestId('subtask-new-title').fill('Ask ops for the keys');
      await b.getByTestId('subtask-add').click();
      const subtask = b.getByTestId('detail-subtasks').locator('li', { hasText: 'Ask ops for the keys' });
      await subtask.waitFor(WAIT);
      // The checkbox is controlled: it shows checked once the server answers, so click() (not check()).
      await subtask.getByRole('checkbox').click();
      await subtask.and(b.locator('[data-status="completed"]')).waitFor(WAIT);
      await a.getByTestId(`task-card-${id}`).filter({ hasText: '1/1 subtasks' }).waitFor(WAIT);

      // A board with some variety for the screenshot, made by an "agent" over gRPC.
      const projectId = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' })).id;
      const schema = await api.call<Task>('Tasks', 'create', {
        projectId,
        title: 'Design the schema',
        priority: 'high',
      });
      await api.call('Tasks', 'start', { id: schema.id });
      await api.call('Subtasks', 'create', { taskId: schema.id, title: 'Tables' });
      const docs = await api.call<Task>('Tasks', 'create', {
        projectId,
        title: 'Write the docs',
        priority: 'low',
      });
      await api.call('Tasks', 'create', { projectId, title: 'Build the API', dependsOn: [schema.id] });
      await api.call('Tasks', 'start', { id: docs.id });
      await api.call('Tasks', 'complete', { id: docs.id });
      const spike = await api.call<Task>('Tasks', 'create', { projectId, title: 'Spike: GraphQL' });
      await api.call('Tasks', 'cancel', { id: spike.id });
      await api.call('Sessions', 'create', { projectId, taskIds: [schema.id], name: 'schema-worker' });
      const login = await api.call<Task>('Tasks', 'create', { projectId, title: 'Wire the login form' });
      await api.call('Tasks', 'start', { id: login.id });

      await card(a, 'completed', 'Write the docs').waitFor(WAIT);
      await card(a, 'cancelled', 'Spike: GraphQL').waitFor(WAIT);
      await a.getByTestId('sessions-panel').getByText('schema-worker').waitFor(WAIT);
      const schemaCard = a.getByTestId(`task-card-${schema.id}`);
      await schemaCard.filter({ hasText: '0/1 subtasks' }).waitFor(WAIT);
      await a
        .getByTestId(`task-card-${login.id}`)
        .getByTestId('card-claim')
        .filter({ hasText: 'agent-7' })
        .waitFor(WAIT);

      mkdirSync(SHOTS, { recursive: true });
      await a.screenshot({ path: join(SHOTS, 'board.png') });

      // The detail shows dependencies, what blocks it, and follows events touching it.
      await card(a, 'pending', 'Build the API').click();
      await a.getByTestId('detail-blocked-by').filter({ hasText: schema.id }).waitFor(WAIT);
      await expect(a.getByTestId('action-start').isDisabled()).resolves.toBe(true);
      await api.call('Tasks', 'complete', { id: schema.id });
      await a.getByTestId('detail-blocked-by').waitFor({ state: 'detached', ...WAIT });
      await expect(a.getByTestId('action-start').isEnabled()).resolves.toBe(true);
      await a.screenshot({ path: join(SHOTS, 'task-detail.png') });
      await a.getByTestId('detail-close').click();
      await a.getByTestId('task-detail').waitFor({ state: 'detached', ...WAIT });
    } finally {
      api.close();
    }
  });

  it('shows a task made through the CLI without a reload, and resumes after one', async () => {
    const home = newHome();
    const server = await start(home.home);
    const page = await openBoard(server);
    const created = await cliData<Task>(['task', 'create', 'From CLI'], cliEnv(server, home.home));
    await page.getByTestId(`task-card-${created.id}`).filter({ hasText: 'From CLI' }).waitFor(WAIT);
    await expect(card(page, 'pending', 'From CLI').count()).resolves.toBe(1);

    // A reload resumes as the same client, from the last event it processed.
    const remembered = async () => {
      const origin = `http://127.0.0.1:${server.http.port}`;
      const { origins } = await page.context().storageState();
      const stored = origins.find((o) => o.origin === origin)?.localStorage ?? [];
      const get = (name: string) => stored.find((item) => item.name === name)?.value ?? '';
      return { clientId: get('maestro.clientId'), lastSeq: Number(get('maestro.lastSeq')) };
    };
    const before = await remembered();
    expect(before.clientId).toMatch(/^web-/);
    expect(before.lastSeq).toBeGreaterThan(0);
    await page.reload();
    await badge(page, 'open').waitFor(WAIT);
    await card(page, 'pending', 'From CLI').waitFor(WAIT);
    expect((await remembered()).clientId).toBe(before.clientId);
  });

  it('reconnects after a server restart and catches up on what it missed', async () => {
    const home = newHome();
    let server = await start(home.home);
    const port = server.http.port;
    const page = await openBoard(server);
    await page.evaluate('window.sameDocument = true');
    await server.close();
    await page
      .locator('[data-testid="connection-badge"]', { hasText: /^reconnecting in \d+s \(attempt \d+\)$/ })
      .waitFor(WAIT);
    await page.getByTestId('toast').filter({ hasText: 'Connection lost' }).waitFor(WAIT);

    // While the page is cut off, the same database gets a task through another server instance.
    const elsewhere = await start(home.home);
    const api = TestClient.for(elsewhere);
    const projectId = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' })).id;
    const missed = await api.call<Task>('Tasks', 'create', { projectId, title: 'Made while away' });
    api.close();
    await elsewhere.close();

    server = await start(home.home, port);
    await badge(page, 'open').waitFor(WAIT);
    await page.getByTestId('toast').filter({ hasText: 'Reconnected' }).waitFor(WAIT);
    await page.getByTestId(`task-card-${missed.id}`).filter({ hasText: 'Made while away' }).waitFor(WAIT);
    await expect(page.evaluate('window.sameDocument')).resolves.toBe(true);
  });

  it('keeps a change made offline when the tab closes, and a new tab sends it once', async () => {
    const home = newHome();
    let server = await start(home.home);
    const port = server.http.port;
    const page = await openBoard(server);
    await server.close();
    await badge(page, 'reconnecting').waitFor(WAIT);
    await createInUi(page, 'Queued then closed');
    await page
      .getByTestId('queued-count')
      .filter({ hasText: /^1 queued$/ })
      .waitFor(WAIT);
    const kept = await page.evaluate(
      "Object.keys(localStorage).filter((k) => k.startsWith('maestro.outbox.')).length",
    );
    expect(kept).toBe(1);
    const context = page.context();
    await page.close();

    server = await start(home.home, port);
    const again = await context.newPage();
    await again.goto(`http://127.0.0.1:${port}/`);
    await badge(again, 'open').waitFor(WAIT);
    await card(again, 'pending', 'Queued then closed').waitFor(WAIT);
    await again.getByTestId('queued-count').waitFor({ state: 'detached', ...WAIT });
    // Its acknowledgement removes it (a change the page makes meanwhile is there until its own).
    await expect
      .poll(
        () =>
          again.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('maestro.outbox.')).length"),
        WAIT,
      )
      .toBe(0);

    // A second tab of the same browser finds nothing left to send: the task exists once.
    const third = await context.newPage();
    await third.goto(`http://127.0.0.1:${port}/`);
    await badge(third, 'open').waitFor(WAIT);
    const api = TestClient.for(server);
    const { tasks } = await api.call<{ tasks: Task[] }>('Tasks', 'list', {});
    api.close();
    expect(tasks.filter((t) => t.title === 'Queued then closed')).toHaveLength(1);
  });

  it('queues a change made offline and applies it exactly once on reconnect', async () => {
    const home = newHome();
    let server = await start(home.home);
    const port = server.http.port;
    const page = await openBoard(server);
    await page.evaluate('window.sameDocument = true');
    await server.close();
    await badge(page, 'reconnecting').waitFor(WAIT);

    await createInUi(page, 'Made offline');
    await page
      .getByTestId('queued-count')
      .filter({ hasText: /^1 queued$/ })
      .waitFor(WAIT);

    server = await start(home.home, port);
    await badge(page, 'open').waitFor(WAIT);
    await card(page, 'pending', 'Made offline').waitFor(WAIT);
    await page.getByTestId('queued-count').waitFor({ state: 'detached', ...WAIT });
    await expect(card(page, 'pending', 'Made offline').count()).resolves.toBe(1);
    await expect(page.evaluate('window.sameDocument')).resolves.toBe(true);

    const api = TestClient.for(server);
    const { tasks } = await api.call<{ tasks: Task[] }>('Tasks', 'list', {});
    api.close();
    expect(tasks.filter((t) => t.title === 'Made offline')).toHaveLength(1);
  });
});
