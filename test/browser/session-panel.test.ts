import { browserSuite, WEB_ROOT } from '../support/browser.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cliData, cliEnv } from '../support/cli.js';
import { startTestServer, tempHome } from '../support/server.js';

/**
 * A session's pane in the web UI, in a real Chromium: its id, agent and usage, its transcript as
 * the agent's output arrives (no placeholder while there is output), the raw terminal output, and
 * a message sent to it.
 */
const WAIT = { timeout: 15_000 };
const suite = browserSuite();
const { servers, homes } = suite;

describe('the session pane', () => {
  it('shows a running agent’s transcript live, its terminal output, and sends it a message', async () => {
    const h = tempHome();
    homes.push(h);
    const agent = join(h.home, 'agent.mjs');
    writeFileSync(
      agent,
      [
        "console.log('first step: reading the task');",
        'let n = 0; const t = setInterval(() => { console.log(`tick ${++n}`); if (n === 3) clearInterval(t); }, 50);',
        'setInterval(() => undefined, 1000);',
      ].join('\n'),
    );
    const server = await startTestServer(
      h.home,
      { runner: 'pipe', agentCommand: `${process.execPath} ${agent}` },
      { webRoot: WEB_ROOT },
    );
    servers.push(server);
    const env = cliEnv(server, h.home);
    const task = await cliData<{ id: string }>(['task', 'create', 'Watched work'], env, h.home);
    const session = await cliData<{ id: string }>(['session', 'spawn', '--task', task.id], env, h.home);

    const context = await suite.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.http.port}/?token=${server.token}`);
    const row = page.getByTestId(`session-${session.id}`);
    await row.waitFor(WAIT);
    expect(await row.textContent()).toContain(session.id);
    await row.locator('button').click();
    const transcript = page.getByTestId('session-transcript');
    await transcript.getByText('first step: reading the task').waitFor(WAIT);
    await transcript.getByText('tick 3').waitFor(WAIT);
    expect(await page.getByTestId('session-usage').textContent()).toContain('command (headless)');
    await page.getByRole('button', { name: 'Terminal output' }).click();
    // Drawn by the terminal emulator, which loads when output is first shown.
    await page.getByTestId('session-output').locator('.xterm').waitFor(WAIT);
    await expect
      .poll(async () => (await page.getByTestId('session-output').textContent()) ?? '', WAIT)
      .toContain('tick 2');
    await page.getByTestId('session-message').fill('Please hurry');
    await page.getByTestId('session-send').click();
    // A command agent takes no message: the page says so, and the message is on the task's timeline.
    await page.getByText(/take no messages/).waitFor(WAIT);
    const detail = await cliData<{ timeline: { kind: string; message: string }[] }>(
      ['task', 'get', task.id],
      env,
      h.home,
    );
    expect(detail.timeline.some((e) => e.kind === 'message' && e.message.includes('Please hurry'))).toBe(
      true,
    );
    await page.screenshot({ path: join(ROOT, 'test-results', 'session-pane.png') });
    await context.close();
  });

  for (const width of [800, 1600]) {
    it(`spawns an agent from a task with a chosen profile, stops it and resumes it, with costs shown (${width} px)`, async () => {
      const h = tempHome();
      homes.push(h);
      const agent = join(h.home, 'agent.mjs');
      writeFileSync(
        agent,
        ["console.log('\\u001b[32mgreen\\u001b[0m working');", 'setInterval(() => undefined, 1000);'].join(
          '\n',
        ),
      );
      const server = await startTestServer(
        h.home,
        { runner: 'pipe', agentCommand: `${process.execPath} ${agent}` },
        { webRoot: WEB_ROOT },
      );
      servers.push(server);
      const env = cliEnv(server, h.home);
      const task = await cliData<{ id: string }>(['task', 'create', 'Agent work'], env, h.home);
      const profiles = await cliData<{ agents: { name: string; isDefault: boolean }[] }>(
        ['agent', 'list'],
        env,
        h.home,
      );
      const chosen = (profiles.agents.find((p) => p.isDefault) ?? profiles.agents[0])!.name;

      const context = await suite.browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${server.http.port}/?token=${server.token}`);
      await page.getByTestId(`task-card-${task.id}`).click();
      const select = page.getByTestId('spawn-agent');
      await select.locator(`option[value="${chosen}"]`).waitFor({ ...WAIT, state: 'attached' });
      expect(await select.locator('option').count()).toBe(profiles.agents.length);
      await select.selectOption(chosen);
      await page.getByTestId('spawn-submit').click();
      await page.getByTestId('task-cost').filter({ hasText: '1 session' }).waitFor(WAIT);
      const row = page.locator('[data-testid^="session-"][data-status="running"]');
      await row.waitFor(WAIT);
      const sessionId = ((await row.getAttribute('data-testid')) ?? '').replace('session-', '');
      const sessions = await cliData<{ id: string; agent: string; taskIds: string[] }[]>(
        ['session', 'list'],
        env,
        h.home,
      );
      expect(sessions.find((s) => s.id === sessionId)).toMatchObject({ agent: chosen, taskIds: [task.id] });
      await page.getByTestId('detail-close').click();

      await row.locator('button').click();
      await page.getByRole('button', { name: 'Terminal output' }).click();
      await expect
        .poll(async () => (await page.getByTestId('session-output').textContent()) ?? '', WAIT)
        .toContain('green working');
      // The escape codes are drawn (a coloured span), not shown as text.
      expect(await page.getByTestId('session-output').textContent()).not.toContain('[32m');
      await page.getByTestId('project-cost').waitFor(WAIT);

      await page.getByTestId('session-stop').click();
      await page.locator(`[data-testid="session-${sessionId}"][data-status="stopped"]`).waitFor(WAIT);
      await page.getByTestId('session-resume').click();
      // A command agent has no conversation to continue: the new session starts the task afresh.
      await expect
        .poll(
          async () =>
            (await cliData<{ id: string; taskIds: string[] }[]>(['session', 'list'], env, h.home)).filter(
              (s) => s.taskIds.includes(task.id),
            ).length,
          WAIT,
        )
        .toBe(2);
      await page.locator('.toast', { hasText: `Resumed ${sessionId}` }).waitFor(WAIT);
      await page.screenshot({ path: join(ROOT, 'test-artifacts', `spawn-${width}.png`) });
      await context.close();
    });
  }
});
