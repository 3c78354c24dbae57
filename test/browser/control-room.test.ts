/// <reference lib="dom" />
import { browserSuite, SHOTS, WEB_ROOT } from '../support/browser.js';
import { join } from 'node:path';
import { type Locator, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { cliData, cliEnv } from '../support/cli.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

/**
 * The web UI as a control room, in a real Chromium against a real server: signing in without the
 * token link, switching and creating projects (the project in the URL), filters, drag and drop
 * between columns (allowed and refused), Escape, the layout at 800 and 1,600 px and dark mode; the
 * autopilot in the header.
 * Screenshots go to test-artifacts/ (not committed). Needs `npm run build` and /usr/bin/chromium.
 */

const WAIT = { timeout: 15_000 };
const WIDTHS = [800, 1600] as const;

interface Task {
  id: string;
  status: string;
}

const suite = browserSuite();
const { contexts, servers, homes } = suite;

async function start(): Promise<{ server: RunningServer; api: TestClient; home: string }> {
  const h = tempHome();
  homes.push(h);
  const server = await startTestServer(
    h.home,
    { httpAddr: '127.0.0.1:0', grpcAddr: '127.0.0.1:0', runner: 'off' },
    { webRoot: WEB_ROOT, ws: { pingIntervalMs: 1000 } },
  );
  servers.push(server);
  return { server, api: TestClient.for(server, { actor: 'agent-7' }), home: h.home };
}

async function newPage(width: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await suite.browser.newContext({ viewport: { width, height: 900 }, colorScheme });
  contexts.push(context);
  return context.newPage();
}

const base = (server: RunningServer) => `http://127.0.0.1:${server.http.port}`;

async function openBoard(server: RunningServer, width: number, query = '', colorScheme?: 'light' | 'dark') {
  const page = await newPage(width, colorScheme);
  await page.goto(`${base(server)}/?token=${server.token}${query}`);
  await page.locator('[data-testid="connection-badge"][data-state="open"]').waitFor(WAIT);
  return page;
}

const cardIn = (page: Page, status: string, id: string): Locator =>
  page.locator(`[data-testid="column-${status}"] [data-testid="task-card-${id}"]`);

/** Nothing sticks out sideways: the page is no wider than the window. */
async function expectNoOverflow(page: Page): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  expect(scroll).toBeLessThanOrEqual(inner);
}

async function projectId(api: TestClient, name: string): Promise<string> {
  return (await api.call<{ id: string }>('Projects', 'create', { name })).id;
}

describe('the web UI as a control room', () => {
  it('without a token shows a sign-in page that explains the link and accepts a pasted token', async () => {
    const { server } = await start();
    const page = await newPage(1600);
    const favicon = await page.request.get(`${base(server)}/favicon.ico`);
    expect(favicon.status()).toBe(200);
    expect(favicon.headers()['content-type']).toBe('image/x-icon');

    await page.goto(base(server));
    const signIn = page.getByTestId('sign-in');
    await signIn.waitFor(WAIT);
    await expect(signIn.textContent()).resolves.toContain('maestro server start');
    await page.screenshot({ path: join(SHOTS, 'sign-in.png') });

    await page.getByTestId('sign-in-token').fill('not-the-token');
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('sign-in-error').filter({ hasText: 'does not match' }).waitFor(WAIT);

    await page.getByTestId('sign-in-token').fill(server.token);
    await page.getByTestId('sign-in-submit').click();
    await page.locator('[data-testid="connection-badge"][data-state="open"]').waitFor(WAIT);
    // A fresh server's default project has no tasks: the board says what to do first.
    await page.getByTestId('empty-board').waitFor(WAIT);
    await expect(page.getByTestId('empty-board').textContent()).resolves.toContain('maestro task create');
    expect(await page.getByTestId('sign-in').count()).toBe(0);
  });

  for (const width of WIDTHS) {
    it(`switches projects with counts, keeps the project in the URL, and creates one (${width} px)`, async () => {
      const { server, api } = await start();
      const web = await projectId(api, 'web-app');
      const ops = await projectId(api, 'ops');
      for (const title of ['Login form', 'Signup form'])
        await api.call('Tasks', 'create', { projectId: web, title });
      const deploy = await api.call<Task>('Tasks', 'create', { projectId: ops, title: 'Deploy' });
      await api.call('Tasks', 'start', { id: deploy.id });

      // A link naming a project opens that board (and the token link keeps it).
      const page = await openBoard(server, width, `&project=${ops}`);
      await page.getByTestId('project-name').filter({ hasText: 'ops' }).waitFor(WAIT);
      await cardIn(page, 'in_progress', deploy.id).waitFor(WAIT);
      expect(new URL(page.url()).searchParams.get('project')).toBe(ops);

      const switcher = page.getByTestId('project-switcher');
      // The counts are read after the board shows: they come a moment after its cards.
      const option = (id: string) => () => switcher.locator(`option[value="${id}"]`).textContent();
      await expect.poll(option(web), WAIT).toContain('2 pending');
      await expect.poll(option(ops), WAIT).toContain('1 in progress');

      await switcher.selectOption(web);
      await page.getByTestId('project-name').filter({ hasText: 'web-app' }).waitFor(WAIT);
      await page.getByTestId('column-pending').getByText('Signup form').waitFor(WAIT);
      expect(await page.getByText('Deploy').count()).toBe(0);
      expect(new URL(page.url()).searchParams.get('project')).toBe(web);

      // Counts follow events from every project, the open one or not.
      await api.call('Tasks', 'create', { projectId: ops, title: 'Rotate keys' });
      await switcher
        .locator(`option[value="${ops}"]`)
        .filter({ hasText: '1 pending' })
        .waitFor({
          ...WAIT,
          state: 'attached',
        });

      // Back returns to the previous board.
      await page.goBack();
      await page.getByTestId('project-name').filter({ hasText: 'ops' }).waitFor(WAIT);

      await page.getByTestId('new-project').click();
      await page.getByTestId('new-project-name').fill(`docs-${width}`);
      await page.getByTestId('new-project-submit').click();
      await page
        .getByTestId('project-name')
        .filter({ hasText: `docs-${width}` })
        .waitFor(WAIT);
      await page.getByTestId('empty-board').waitFor(WAIT);
      const created = (await api.call<{ projects: { id: string; name: string }[] }>('Projects', 'list', {}))
        .projects;
      const docs = created.find((p) => p.name === `docs-${width}`);
      expect(docs).toBeDefined();
      expect(new URL(page.url()).searchParams.get('project')).toBe(docs!.id);
      await expectNoOverflow(page);
      await page.screenshot({ path: join(SHOTS, `projects-${width}.png`) });
    });
  }

  for (const width of WIDTHS) {
    it(`shows ready and waiting tasks, filters them, drags between columns, and Escape closes the detail (${width} px)`, async () => {
      const { server, api } = await start();
      const p = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' })).id;
      const schema = await api.call<Task>('Tasks', 'create', {
        projectId: p,
        title: 'Design the schema',
        priority: 'high',
      });
      const apiTask = await api.call<Task>('Tasks', 'create', {
        projectId: p,
        title:
          'Build the API — a long title that has to wrap inside its card instead of overflowing the column',
        dependsOn: [schema.id],
        labels: ['backend'],
      });
      const docs = await api.call<Task>('Tasks', 'create', {
        projectId: p,
        title: 'Write the docs',
        priority: 'low',
      });
      const page = await openBoard(server, width);

      // Ready vs waiting at a glance, and why it waits.
      await cardIn(page, 'pending', schema.id).getByTestId('card-ready').waitFor(WAIT);
      await cardIn(page, 'pending', apiTask.id)
        .getByTestId('card-waiting')
        .filter({ hasText: schema.id })
        .waitFor(WAIT);

      // Filters: text, priority, label, status; the count says how many are shown.
      await page.getByTestId('filter-text').fill('docs');
      await cardIn(page, 'pending', docs.id).waitFor(WAIT);
      expect(await cardIn(page, 'pending', schema.id).count()).toBe(0);
      await page.getByTestId('filter-count').filter({ hasText: '1 of 3' }).waitFor(WAIT);
      await page.getByTestId('filter-clear').click();
      await page.getByTestId('filter-priority-high').click();
      await cardIn(page, 'pending', schema.id).waitFor(WAIT);
      expect(await cardIn(page, 'pending', docs.id).count()).toBe(0);
      await page.getByTestId('filter-clear').click();
      await page.getByTestId('filter-label').fill('backend');
      await page.getByTestId('filter-count').filter({ hasText: '1 of 3' }).waitFor(WAIT);
      await page.getByTestId('filter-clear').click();
      await page.getByTestId('filter-holder').fill('none');
      await page.getByTestId('filter-count').filter({ hasText: '3 of 3' }).waitFor(WAIT);
      await page.getByTestId('filter-clear').click();

      // A refused drop says why: the API waits for the schema.
      await cardIn(page, 'pending', apiTask.id).dragTo(page.getByTestId('column-in_progress'));
      await page.locator('.toast', { hasText: `waits for ${schema.id}` }).waitFor(WAIT);
      expect((await api.call<{ task: Task }>('Tasks', 'get', { id: apiTask.id })).task.status).toBe(
        'pending',
      );
      // One no action makes: pending to completed.
      await cardIn(page, 'pending', docs.id).dragTo(page.getByTestId('column-completed'));
      await page.locator('.toast', { hasText: 'cannot go from pending to completed' }).waitFor(WAIT);

      // An allowed drop performs the transition on the server.
      await cardIn(page, 'pending', schema.id).dragTo(page.getByTestId('column-in_progress'));
      await cardIn(page, 'in_progress', schema.id).waitFor(WAIT);
      await expect
        .poll(
          async () => (await api.call<{ task: Task }>('Tasks', 'get', { id: schema.id })).task.status,
          WAIT,
        )
        .toBe('in_progress');
      await cardIn(page, 'in_progress', schema.id).dragTo(page.getByTestId('column-completed'));
      await cardIn(page, 'completed', schema.id).waitFor(WAIT);
      // Now the API is ready.
      await cardIn(page, 'pending', apiTask.id).getByTestId('card-ready').waitFor(WAIT);

      // Keyboard: arrows move between cards, Enter opens, Escape closes.
      await cardIn(page, 'pending', apiTask.id).focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe(
        `task-card-${schema.id}`,
      );
      await page.keyboard.press('Enter');
      await page.getByTestId('task-detail').waitFor(WAIT);
      // The detail offers what the server allows for a completed task.
      await page.getByTestId('action-reopen').waitFor(WAIT);
      expect(await page.getByTestId('action-start').count()).toBe(0);
      await page.keyboard.press('Escape');
      await page.getByTestId('task-detail').waitFor({ ...WAIT, state: 'detached' });

      await expectNoOverflow(page);
      const header = await page.locator('.topbar').boundingBox();
      expect(Math.round(header!.width)).toBe(width);
      const title = await cardIn(page, 'pending', apiTask.id).locator('.card-title').boundingBox();
      const column = await page.getByTestId('column-pending').boundingBox();
      expect(title!.x + title!.width).toBeLessThanOrEqual(column!.x + column!.width);
      await page.screenshot({ path: join(SHOTS, `board-${width}.png`) });
    });
  }

  it('switches the autopilot on and sets its cap from the header, and follows a change made from the CLI', async () => {
    const { server, api, home } = await start();
    const p = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' })).id;
    const autopilot = () =>
      api.call<{ enabled: boolean; maxWorkers: number }>('Autopilot', 'get', { projectId: p });
    // A worker session that waits for a runner (there is none): a live worker of the cap.
    const t = await api.call<Task>('Tasks', 'create', { projectId: p, title: 'Has a worker' });
    await api.call('Sessions', 'spawn', { taskId: t.id });
    const page = await openBoard(server, 1600);
    const header = page.getByTestId('autopilot');
    await page.locator('[data-testid="autopilot"][data-enabled="off"]').waitFor(WAIT);
    await header.getByTestId('autopilot-workers').filter({ hasText: '1/4 workers' }).waitFor(WAIT);

    // On from the page: the server says so.
    await header.getByTestId('autopilot-toggle').click();
    await page.locator('[data-testid="autopilot"][data-enabled="on"]').waitFor(WAIT);
    await expect.poll(async () => (await autopilot()).enabled, WAIT).toBe(true);
    // The cap from the page.
    await header.getByTestId('autopilot-max').fill('2');
    await header.getByTestId('autopilot-max-save').click();
    await header.getByTestId('autopilot-workers').filter({ hasText: '1/2 workers' }).waitFor(WAIT);
    await expect.poll(async () => (await autopilot()).maxWorkers, WAIT).toBe(2);

    // From the CLI: the page follows without a reload.
    const env = cliEnv(server, home, { MAESTRO_ACTOR: 'orchestrator', MAESTRO_PROJECT_ID: p });
    await cliData(['autopilot', 'on', '--max-workers', '7'], env);
    await header.getByTestId('autopilot-workers').filter({ hasText: '1/7 workers' }).waitFor(WAIT);
    await expect(header.getByTestId('autopilot-max').inputValue()).resolves.toBe('7');
    await cliData(['autopilot', 'off'], env);
    await page.locator('[data-testid="autopilot"][data-enabled="off"]').waitFor(WAIT);
    await expect(header.getByTestId('autopilot-toggle').textContent()).resolves.toBe('Autopilot off');
    // Off from the page too.
    await cliData(['autopilot', 'on'], env);
    await page.locator('[data-testid="autopilot"][data-enabled="on"]').waitFor(WAIT);
    await header.getByTestId('autopilot-toggle').click();
    await expect.poll(async () => (await autopilot()).enabled, WAIT).toBe(false);
    await expectNoOverflow(page);
    await page.screenshot({ path: join(SHOTS, 'autopilot-header.png') });
  });

  it('follows the system dark mode', async () => {
    const { server, api } = await start();
    const p = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' })).id;
    await api.call('Tasks', 'create', { projectId: p, title: 'In the dark' });
    const light = await openBoard(server, 1600, '', 'light');
    const dark = await openBoard(server, 1600, '', 'dark');
    const background = (page: Page) =>
      page.evaluate(() => getComputedStyle(document.body.parentElement!).backgroundColor);
    await dark.getByText('In the dark').waitFor(WAIT);
    expect(await background(light)).toBe('rgb(244, 245, 247)');
    expect(await background(dark)).toBe('rgb(18, 21, 27)');
    await dark.screenshot({ path: join(SHOTS, 'board-dark.png') });
  });
});

describe('the dependency graph view', () => {
  for (const width of WIDTHS) {
    it(`draws tasks by status, follows events live, adds a dependency by drawing an edge and refuses a cycle (${width} px)`, async () => {
      const { server, api } = await start();
      const p = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' })).id;
      const a = await api.call<Task>('Tasks', 'create', { projectId: p, title: 'Schema' });
      const b = await api.call<Task>('Tasks', 'create', { projectId: p, title: 'API', dependsOn: [a.id] });
      const c = await api.call<Task>('Tasks', 'create', { projectId: p, title: 'UI', dependsOn: [b.id] });
      const gone = await api.call<Task>('Tasks', 'create', { projectId: p, title: 'Spike' });
      const d = await api.call<Task>('Tasks', 'create', {
        projectId: p,
        title: 'Report',
        dependsOn: [gone.id],
      });
      await api.call('Tasks', 'cancel', { id: gone.id });

      const page = await openBoard(server, width, '&view=graph');
      const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
      await page.locator('[data-testid="graph"][data-laid-out="yes"]').waitFor(WAIT);
      await node(c.id).waitFor(WAIT);
      // The critical path (a → b → c) and the task that can never be ready (it waits for a cancelled one).
      for (const id of [a.id, b.id, c.id]) await node(id).and(page.locator('.critical')).waitFor(WAIT);
      await node(d.id).and(page.locator('.never-ready')).waitFor(WAIT);
      expect(await page.locator('.react-flow__edge').count()).toBe(3);

      // Live: a status change recolours a node, a new task appears.
      await api.call('Tasks', 'start', { id: a.id });
      await page.locator(`[data-testid="graph-node-${a.id}"][data-status="in_progress"]`).waitFor(WAIT);
      const layouts = async () => Number(await page.getByTestId('graph').getAttribute('data-layouts'));
      const viewport = () => page.locator('.react-flow__viewport').getAttribute('style');
      // Nobody has zoomed or panned: a new task is laid out and the view fits the whole graph again.
      let before = await layouts();
      const e = await api.call<Task>('Tasks', 'create', { projectId: p, title: 'Docs' });
      await expect.poll(layouts, WAIT).toBeGreaterThan(before);
      await node(e.id).waitFor(WAIT);
      // A zoom (out: a small graph is fitted at the most zoomed in) by the person: later layouts keep
      // their view until Fit is pressed.
      await expect.poll(viewport, WAIT).toContain('transform');
      const fitted = await viewport();
      const pane = (await page.locator('.react-flow__pane').boundingBox())!;
      await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
      await page.mouse.wheel(0, 300);
      await expect.poll(viewport, WAIT).not.toBe(fitted);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const zoomed = await viewport();
      before = await layouts();
      const extra = await api.call<Task>('Tasks', 'create', { projectId: p, title: 'Changelog' });
      await expect.poll(layouts, WAIT).toBeGreaterThan(before);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      expect(await viewport()).toBe(zoomed);
      await page.getByTestId('graph-fit').click();
      await expect.poll(viewport, WAIT).not.toBe(zoomed);
      await node(extra.id).waitFor(WAIT);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      before = await layouts();

      // Drawing an edge from a to e makes e wait for a, on the server.
      const handle = (id: string, kind: 'source' | 'target') =>
        node(id).locator(`.react-flow__handle.${kind}`);
      // A connection is drawn with the pointer: down on one handle, moved in steps, up on the other.
      // What was under the pointer at each end of the last gesture (said when the cycle is never refused).
      let under = '';
      const drawEdge = async (from: Locator, to: Locator) => {
        const a = (await from.boundingBox())!;
        const b = (await to.boundingBox())!;
        under = await page.evaluate(
          (points: [number, number][]) =>
            points
              .map(([x, y]) => {
                const el = document.elementFromPoint(x, y);
                return `(${Math.round(x)},${Math.round(y)}) ${el?.tagName ?? '-'}.${el?.className ?? ''}`;
              })
              .join(' → '),
          [
            [a.x + a.width / 2, a.y + a.height / 2],
            [b.x + b.width / 2, b.y + b.height / 2],
          ] as [number, number][],
        );
        await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
        await page.mouse.down();
        await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
        const line = await page.locator('.react-flow__connectionline').count();
        await page.mouse.up();
        under += `; connection line drawn: ${line > 0}`;
      };
      await drawEdge(handle(a.id, 'source'), handle(e.id, 'target'));
      await expect
        .poll(
          async () =>
            (await api.call<{ task: { dependsOn: string[] } }>('Tasks', 'get', { id: e.id })).task.dependsOn,
          WAIT,
        )
        .toEqual([a.id]);
      await expect.poll(layouts, WAIT).toBeGreaterThan(before);
      await page.getByTestId('graph-fit').click();
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

      // c → a would close a cycle (a ← b ← c): refused before it is sent.
      // A refused edge sends nothing, so the gesture may be drawn again while a re-layout moves the
      // handles under the pointer.
      const cycleToast = page.locator('.toast', { hasText: 'would make a cycle' });
      await waitFor(
        () => `the cycle to be refused (last gesture: ${under})`,
        async () => {
          await drawEdge(handle(c.id, 'source'), handle(a.id, 'target'));
          return cycleToast.waitFor({ timeout: 2_000 }).then(
            () => true,
            async () => {
              under += `; toasts: ${JSON.stringify(await page.locator('.toast').allTextContents())}`;
              return false;
            },
          );
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      expect(
        (await api.call<{ task: { dependsOn: string[] } }>('Tasks', 'get', { id: a.id })).task.dependsOn,
      ).toEqual([]);
      await expectNoOverflow(page);
      await page.screenshot({ path: join(SHOTS, `graph-${width}.png`) });
    }, 90_000);
  }
});
