/// <reference lib="dom" />
import { browserSuite, SHOTS, WEB_ROOT } from '../support/browser.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';

/**
 * Large boards in a real Chromium against a real server: a column of 2,000 tasks mounts only the
 * cards near its viewport, yet scrolls to its last task, is walked with the arrow keys past what was
 * mounted, filtered, and dragged from; the graph keeps the person's zoom and pan through a re-layout;
 * a completion that waits for the project's checks lands in review, never shown completed.
 * Screenshots go to test-artifacts/ (not committed). Needs `npm run build` and /usr/bin/chromium.
 */

const WAIT = { timeout: 15_000 };
const MANY = 2_000;

interface Task {
  id: string;
  status: string;
}

const suite = browserSuite();
const { contexts, servers, homes } = suite;

async function start(): Promise<{ server: RunningServer; api: TestClient }> {
  const h = tempHome();
  homes.push(h);
  const server = await startTestServer(
    h.home,
    { httpAddr: '127.0.0.1:0', grpcAddr: '127.0.0.1:0', runner: 'off' },
    { webRoot: WEB_ROOT, ws: { pingIntervalMs: 1000 } },
  );
  servers.push(server);
  return { server, api: TestClient.for(server, { actor: 'agent-7' }) };
}

async function openBoard(server: RunningServer, query = ''): Promise<Page> {
  const context = await suite.browser.newContext({ viewport: { width: 1600, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${server.http.port}/?token=${server.token}${query}`);
  await page.locator('[data-testid="connection-badge"][data-state="open"]').waitFor(WAIT);
  return page;
}

const mountedCards = (page: Page) => page.locator('[data-testid^="task-card-"]').count();
const focusedRow = (page: Page) =>
  page.evaluate(() => Number(document.activeElement?.getAttribute('data-row') ?? -1));

describe('a large board', () => {
  it(`mounts a bounded number of a ${MANY}-task column's cards, scrolls to its end, walks it with the keys, filters it and drops from it`, async () => {
    const { server, api } = await start();
    const p = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' })).id;
    const ids: string[] = [];
    // One after the other, so the column's order (same priority: oldest first) is the creation order.
    for (let n = 1; n <= MANY; n++)
      ids.push((await api.call<Task>('Tasks', 'create', { projectId: p, title: `Task ${n}` })).id);
    const first = ids[0]!;
    const last = ids[MANY - 1]!;

    const page = await openBoard(server);
    const pending = page.getByTestId('column-pending');
    await pending.getByTestId(`task-card-${first}`).waitFor(WAIT);
    // The column says how many cards it has, though only a screenful or so is mounted.
    await expect(page.getByTestId('count-pending').textContent()).resolves.toBe('2,000');
    const mountedAtFirst = await mountedCards(page);
    expect(mountedAtFirst).toBeGreaterThan(3);
    expect(mountedAtFirst).toBeLessThan(60);
    const initial = new Set(
      await page
        .locator('[data-testid^="task-card-"]')
        .evaluateAll((els) => els.map((e) => e.dataset.testid)),
    );
    expect(initial.has(`task-card-${last}`)).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'large-board-top.png') });

    // Arrow-down from the first card reaches cards that were not mounted, scrolled into view.
    await pending.getByTestId(`task-card-${first}`).focus();
    const steps = 40;
    for (let i = 1; i <= steps; i++) {
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => focusedRow(page), WAIT).toBe(i);
    }
    const reached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    expect(reached).toBe(`task-card-${ids[steps]}`);
    expect(initial.has(reached!)).toBe(false);
    const inView = await page.evaluate(() => {
      const card = document.activeElement!.getBoundingClientRect();
      const list = document.querySelector('[data-testid="cards-pending"]')!.getBoundingClientRect();
      return card.top >= list.top - 1 && card.bottom <= list.bottom + 1;
    });
    expect(inView).toBe(true);
    expect(await mountedCards(page)).toBeLessThan(80);

    // Scrolling to the end shows the last task (still a bounded number mounted).
    await page.getByTestId('cards-pending').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    const lastCard = pending.getByTestId(`task-card-${last}`);
    await lastCard.waitFor(WAIT);
    await expect.poll(() => lastCard.getAttribute('data-row'), WAIT).toBe(String(MANY - 1));
    await expect.poll(() => lastCard.isVisible(), WAIT).toBe(true);
    expect(await mountedCards(page)).toBeLessThan(80);
    expect(await pending.getByTestId(`task-card-${first}`).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'large-board-end.png') });

    // A drop from there performs its transition.
    await lastCard.dragTo(page.getByTestId('column-in_progress'));
    await page.getByTestId('column-in_progress').getByTestId(`task-card-${last}`).waitFor(WAIT);
    await expect
      .poll(async () => (await api.call<{ task: Task }>('Tasks', 'get', { id: last })).task.status, WAIT)
      .toBe('in_progress');
    await expect(page.getByTestId('count-pending').textContent()).resolves.toBe('1,999');

    // Filters see every task, mounted or not: one far down the column.
    await page.getByTestId('filter-text').fill('Task 1999');
    await pending.getByTestId(`task-card-${ids[MANY - 2]}`).waitFor(WAIT);
    await expect(page.getByTestId('count-pending').textContent()).resolves.toBe('1');
    await page.getByTestId('filter-clear').click();
    await expect(page.getByTestId('count-pending').textContent()).resolves.toBe('1,999');
  });

  it('drops a card on Completed in a project with checks: it lands in review, never shown completed', async () => {
    const { server, api } = await start();
    const dir = mkdtempSync(join(os.tmpdir(), 'maestro-checks-'));
    homes.push({ cleanup: () => rmSync(dir, { recursive: true, force: true }) });
    const release = join(dir, 'release');
    const project = await api.call<{ id: string }>('Projects', 'create', {
      name: 'checked',
      workingDir: dir,
    });
    // The checks wait for a file the test writes: the task stays in review until then.
    await api.call('Workspaces', 'configure', {
      id: project.id,
      isolation: 'none',
      checks: `while [ ! -f ${release} ]; do sleep 0.1; done`,
    });
    const task = await api.call<Task>('Tasks', 'create', { projectId: project.id, title: 'Ship it' });
    await api.call('Tasks', 'start', { id: task.id });

    const page = await openBoard(server, `&project=${project.id}`);
    const card = (status: string) => page.getByTestId(`column-${status}`).getByTestId(`task-card-${task.id}`);
    await card('in_progress').waitFor(WAIT);
    // Whether the card ever shows in the Completed column, from now on.
    await page.evaluate((id) => {
      const w = window as unknown as { __shownCompleted: boolean };
      w.__shownCompleted = false;
      const look = () => {
        if (document.querySelector(`[data-testid="column-completed"] [data-testid="task-card-${id}"]`))
          w.__shownCompleted = true;
      };
      new MutationObserver(look).observe(document.body, { childList: true, subtree: true });
    }, task.id);
    await card('in_progress').dragTo(page.getByTestId('column-completed'));
    await card('in_review').waitFor(WAIT);
    await page.locator('.toast', { hasText: `${task.id} went to In review` }).waitFor(WAIT);
    expect((await api.call<{ task: Task }>('Tasks', 'get', { id: task.id })).task.status).toBe('in_review');
    expect(
      await page.evaluate(() => (window as unknown as { __shownCompleted: boolean }).__shownCompleted),
    ).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'drop-to-review.png') });
    // Once the checks pass, the server completes it, and the board follows.
    writeFileSync(release, '');
    await card('completed').waitFor({ timeout: 30_000 });
  });
});

describe('the graph view of a changing project', () => {
  it('keeps the zoom and pan through a re-layout after a live event, fits when asked, and colours the minimap by status', async () => {
    const { server, api } = await start();
    const p = (await api.call<{ id: string }>('Projects', 'resolve', { workingDir: '' })).id;
    // A chain wider than the window, so that the fitted view is zoomed out and can be zoomed in.
    const a = await api.call<Task>('Tasks', 'create', { projectId: p, title: 'Step 1' });
    let previous = a;
    for (let n = 2; n <= 8; n++)
      previous = await api.call<Task>('Tasks', 'create', {
        projectId: p,
        title: `Step ${n}`,
        dependsOn: [previous.id],
      });
    const page = await openBoard(server, '&view=graph');
    await page.locator('[data-testid="graph"][data-laid-out="yes"]').waitFor(WAIT);
    await page.locator(`.react-flow__node[data-id="${a.id}"]`).waitFor(WAIT);
    const viewport = () => page.locator('.react-flow__viewport').evaluate((el) => el.style.transform);
    const layouts = async () => Number(await page.getByTestId('graph').getAttribute('data-layouts'));
    const frames = () =>
      page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

    // The minimap shows each node in its status's colour.
    await api.call('Tasks', 'start', { id: a.id });
    const started = page.locator('.react-flow__minimap-node.minimap-in_progress');
    await expect.poll(() => started.count(), WAIT).toBe(1);
    expect(await page.locator('.react-flow__minimap-node.minimap-pending').count()).toBe(7);
    const accent = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(),
    );
    expect(accent).toBe('#2f6fde');
    await expect(started.evaluate((el) => getComputedStyle(el).fill)).resolves.toBe('rgb(47, 111, 222)');

    // Zoomed in by the person.
    const fitted = await viewport();
    await page.locator('.react-flow__controls-zoomin').click();
    await page.locator('.react-flow__controls-zoomin').click();
    await expect.poll(viewport, WAIT).not.toBe(fitted);
    await frames();
    const zoomed = await viewport();

    // A live event changes the graph's shape: laid out again, the view stays where it was.
    const before = await layouts();
    await api.call<Task>('Tasks', 'create', { projectId: p, title: 'Docs', dependsOn: [a.id] });
    await expect.poll(layouts, WAIT).toBeGreaterThan(before);
    await frames();
    await frames();
    expect(await viewport()).toBe(zoomed);

    // Fit, when asked, fits the whole graph again.
    await page.getByTestId('graph-fit').click();
    await expect.poll(viewport, WAIT).not.toBe(zoomed);
    await page.screenshot({ path: join(SHOTS, 'graph-kept-view.png') });
  });
});
