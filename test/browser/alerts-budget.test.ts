/// <reference lib="dom" />
import { browserSuite, SHOTS, WEB_ROOT } from '../support/browser.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cliData, cliEnv } from '../support/cli.js';
import { TestClient, startTestServer, tempHome } from '../support/server.js';
import { waitFor } from '../support/wait.js';

/**
 * Alerts and budgets in a real Chromium against a real server whose workers are the scripted fake
 * agent: a question, a blocked task, a failed session, a budget hit and a finished graph each land
 * in the bell's list and, once notifications are enabled (the context grants the permission),
 * raise a browser notification; a task's detail shows its budget against its spend and that it
 * was exceeded. Needs `npm run build` and /usr/bin/chromium.
 */

const FAKE_AGENT = join(ROOT, 'test/support/fake-agent.mjs');
const WAIT = { timeout: 20_000 };
const POLL = { timeoutMs: 30_000, intervalMs: 100 };

const suite = browserSuite();
const { contexts, servers, homes } = suite;

/** Records each `new Notification(...)` in `window.__notifications`, then calls the real one. */
const RECORD_NOTIFICATIONS = () => {
  const Real = window.Notification;
  const seen: { title: string; body: string }[] = [];
  (window as unknown as { __notifications: typeof seen }).__notifications = seen;
  const Recording = function (title: string, options?: NotificationOptions) {
    seen.push({ title, body: options?.body ?? '' });
    return new Real(title, options);
  } as unknown as typeof Notification;
  Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
  Object.defineProperty(Recording, 'requestPermission', {
    value: (...args: Parameters<typeof Notification.requestPermission>) => Real.requestPermission(...args),
  });
  Recording.prototype = Real.prototype;
  window.Notification = Recording;
};

describe('the web UI: alerts and budgets', () => {
  it('records questions, blocks, failures, budgets and a finished graph, raises them as notifications, and shows a budget exceeded', async () => {
    let offset = 0;
    const h = tempHome('maestro-alerts-');
    homes.push(h);
    const modes = join(h.home, 'modes');
    mkdirSync(modes);
    const server = await startTestServer(
      h.home,
      {
        agentCommand: `${process.execPath} ${FAKE_AGENT} {promptFile} ${modes}`,
        runner: 'pipe',
        httpAddr: '127.0.0.1:0',
        grpcAddr: '127.0.0.1:0',
        sessionStaleSeconds: 86_400,
        sessionLostSeconds: 86_400,
      },
      { webRoot: WEB_ROOT, sweepIntervalMs: 100, clock: () => Date.now() + offset },
    );
    servers.push(server);
    const api = TestClient.for(server, { actor: 'reviewer' });
    const env = cliEnv(server, h.home, { MAESTRO_ACTOR: 'orchestrator' });
    const project = await cliData<{ id: string }>(['project', 'create', 'app', '--dir', h.home], env, h.home);
    const penv = { ...env, MAESTRO_PROJECT_ID: project.id };
    const cli = <T>(args: string[]) => cliData<T>(args, penv, h.home);
    const task = (title: string, ...extra: string[]) =>
      cli<{ id: string }>(['task', 'create', title, ...extra]);
    const asks = await task('Asks');
    const stuck = await task('Waits for keys');
    const fails = await task('Fails');
    const runaway = await task('Runaway', '--budget', 'minutes=30,usd=2');
    writeFileSync(join(modes, fails.id), 'die');
    writeFileSync(join(modes, runaway.id), 'hang');

    const context = await suite.browser.newContext({ viewport: { width: 1440, height: 900 } });
    contexts.push(context);
    await context.grantPermissions(['notifications']);
    await context.addInitScript(RECORD_NOTIFICATIONS);
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.http.port}/?token=${server.token}&project=${project.id}`);
    await page.locator('[data-testid="connection-badge"][data-state="open"]').waitFor(WAIT);
    await page.getByTestId(`task-card-${runaway.id}`).waitFor(WAIT);

    // Notifications on: the button asks the browser, which grants it.
    await page.getByTestId('alerts-bell').click();
    await page.getByTestId('notifications-enable').click();
    await page.getByTestId('notifications-disable').waitFor(WAIT);
    await page.getByTestId('alerts-bell').click();
    const notifications = () =>
      page.evaluate(
        () => (window as unknown as { __notifications: { title: string; body: string }[] }).__notifications,
      );

    // A worker asks, a person blocks a task, a session fails.
    await cli(['report', 'question', 'Which port?', '--task', asks.id]);
    await api.call('Tasks', 'block', { id: stuck.id, reason: 'needs the API keys' });
    await cli(['session', 'spawn', '--task', fails.id]);
    await page.getByTestId('alerts-count').filter({ hasText: '3' }).waitFor(WAIT);

    // A budget: the worker hangs; 31 minutes later by the server's clock it is stopped and its task blocked.
    await cli(['session', 'spawn', '--task', runaway.id]);
    await page
      .locator(`[data-testid="column-in_progress"] [data-testid="task-card-${runaway.id}"]`)
      .waitFor(WAIT);
    offset = 31 * 60_000;
    await page
      .locator(`[data-testid="column-blocked"] [data-testid="task-card-${runaway.id}"]`)
      .waitFor(WAIT);
    await page.getByTestId('alerts-count').filter({ hasText: '4' }).waitFor(WAIT);

    // The task's detail: its budget against its spend, and that it was exceeded.
    await page.getByTestId(`task-card-${runaway.id}`).click();
    const budget = page.getByTestId('detail-budget');
    await budget.getByTestId('budget-exceeded').waitFor(WAIT);
    await expect(budget.getByTestId('budget-exceeded').textContent()).resolves.toMatch(
      /Budget exceeded\..*minutes reached the budget of 30/,
    );
    await page
      .locator('[data-testid="budget-minutes"][data-over="yes"]')
      .filter({ hasText: 'of 30.0' })
      .waitFor(WAIT);
    await expect(budget.getByTestId('budget-usd').textContent()).resolves.toContain('$0.0000 of $2.0000');
    await expect(budget.getByTestId('budget-tokens').textContent()).resolves.toContain('(no cap)');
    await page.screenshot({ path: join(SHOTS, 'budget-exceeded.png') });
    await page.getByTestId('detail-close').click();

    // The graph is done once every task is completed or cancelled.
    for (const t of [asks, stuck, fails, runaway]) await api.call('Tasks', 'cancel', { id: t.id });
    await page.getByTestId('alerts-count').filter({ hasText: '5' }).waitFor(WAIT);

    await page.getByTestId('alerts-bell').click();
    const list = page.getByTestId('alerts-list');
    await list.getByTestId('alert').nth(4).waitFor(WAIT);
    const kinds = await list
      .getByTestId('alert')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(['graph_done', 'budget', 'session_failed', 'blocked', 'question']);
    await expect(list.locator('[data-kind="question"]').textContent()).resolves.toContain('Which port?');
    // Opening the list reads them: the count is gone.
    expect(await page.getByTestId('alerts-count').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'alerts.png') });
    // At 800 px the header wraps; the list stays inside the window.
    await page.setViewportSize({ width: 800, height: 900 });
    const box = (await page.getByTestId('alerts-panel').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(800);
    await page.screenshot({ path: join(SHOTS, 'alerts-800.png') });

    // Each raised a real browser notification.
    const raised = await waitFor(
      'five notifications',
      async () => {
        const n = await notifications();
        return n.length >= 5 ? n : undefined;
      },
      POLL,
    );
    expect(raised.map((n) => n.title)).toEqual([
      'Maestro: Question',
      'Maestro: Blocked',
      'Maestro: Session failed',
      'Maestro: Budget',
      'Maestro: All done',
    ]);
    expect(raised[0]!.body).toBe(`Question on ${asks.id}: Which port?`);
    expect(raised[1]!.body).toContain('needs the API keys');
    expect(raised[3]!.body).toMatch(
      new RegExp(`^Budget hit on ${runaway.id} \\(Runaway\\): budget_exceeded`),
    );
    expect(raised[4]!.body).toBe('Every task of project app is done: 0 completed, 4 cancelled.');
  }, 90_000);
});
