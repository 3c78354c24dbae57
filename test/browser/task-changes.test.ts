import { browserSuite, SHOTS, WEB_ROOT } from '../support/browser.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cliData, cliEnv } from '../support/cli.js';
import { startTestServer } from '../support/server.js';
import { waitFor } from '../support/wait.js';
import { sandboxes } from '../workspaces/support.js';

/**
 * The task detail's Changes section in a real Chromium: a worker's diff from its worktree, rendered
 * with diff2html, a review comment on a line of it, the approve button that sends reviewed work to
 * the merge queue, and the merge queue view. Needs `npm run build` and Debian's chromium at
 * /usr/bin/chromium.
 */
const AGENT = join(ROOT, 'test/support/workspace-agent.mjs');
const WAIT = { timeout: 20_000 };

const suite = browserSuite();
const { servers } = suite;
const boxes = sandboxes();

/**
 * A real server over the repository whose scripted worker writes "hello, world" into readme.txt in
 * the task's worktree; the project requires review. Returns once the task waits for review, with
 * its card open in a page.
 */
async function openInReview(repo: string, plans: string, home: string, title: string) {
  const server = await startTestServer(
    home,
    { agentCommand: `${process.execPath} ${AGENT} {promptFile} ${plans}`, runner: 'pipe' },
    { webRoot: WEB_ROOT },
  );
  servers.push(server);
  const env = cliEnv(server, home, { MAESTRO_ACTOR: 'orchestrator' });
  // The board shows the default project: here it is the repository's.
  const project = await cliData<{ id: string }>(['project', 'create', 'default', '--dir', repo], env);
  const penv = { ...env, MAESTRO_PROJECT_ID: project.id };
  await cliData(['project', 'configure', '--review', 'required'], penv);
  const task = await cliData<{ id: string }>(['task', 'create', title], penv);
  writeFileSync(
    join(plans, `${task.id}.json`),
    JSON.stringify({ files: { 'readme.txt': 'hello, world\n' } }),
  );
  await cliData(['session', 'spawn', '--task', task.id], penv);
  await waitFor(
    'the task to wait for review',
    async () =>
      (await cliData<{ task: { status: string } }>(['task', 'get', task.id], penv)).task.status ===
      'in_review',
    { timeoutMs: 20_000 },
  );
  const context = await suite.browser.newContext({ viewport: { width: 1440, height: 900 } });
  suite.contexts.push(context);
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${server.http.port}/?token=${server.token}`);
  await page.getByTestId('column-in_review').getByTestId(`task-card-${task.id}`).click(WAIT);
  return { server, penv, task, page, changes: page.getByTestId('task-changes') };
}

describe('the web UI: a task’s changes', () => {
  it('shows the files and the rendered diff of a task in review, and approving it merges it', async () => {
    const box = boxes.make();
    const repo = box.repo('app', { 'readme.txt': 'hello\n' });
    const plans = join(box.root, 'plans');
    mkdirSync(plans);
    const { task, page, changes } = await openInReview(repo, plans, box.maestroHome, 'Greet better');
    await changes.getByTestId('diff-files').filter({ hasText: 'readme.txt' }).waitFor(WAIT);
    await expect(changes.getByTestId('workspace-status').textContent()).resolves.toBe('review');
    const rendered = await changes.getByTestId('diff-render').innerText();
    expect(rendered).toContain('hello, world');
    await changes.getByTestId('action-approve').click();
    await page.getByTestId('column-completed').getByTestId(`task-card-${task.id}`).waitFor(WAIT);
    expect(box.git(repo, 'show', 'main:readme.txt')).toBe('hello, world');
  });

  it('comments on a line of the diff onto the timeline, and shows the approved work in the merge queue until it lands', async () => {
    const box = boxes.make();
    const plans = join(box.root, 'plans');
    mkdirSync(plans);
    // The checks wait for a file the test writes: the work stays in the queue until then.
    const release = join(box.root, 'release-the-merge');
    const repo = box.repo('app', {
      'readme.txt': 'hello\n',
      '.maestro/workspace.json': JSON.stringify({
        checks: { command: `while [ ! -f ${release} ]; do sleep 0.1; done` },
      }),
    });
    const { penv, task, page, changes } = await openInReview(repo, plans, box.maestroHome, 'Greet the world');
    await changes.getByTestId('diff-render').filter({ hasText: 'hello, world' }).waitFor(WAIT);

    // Click the added line: a comment box for readme.txt line 1.
    await changes.locator('.d2h-diff-tbody tr', { hasText: 'hello, world' }).click();
    await expect(changes.getByTestId('line-comment-target').textContent()).resolves.toBe('readme.txt:1');
    await changes.getByTestId('line-comment-text').fill('Capitalise World');
    await changes.getByTestId('line-comment-send').click();
    const timeline = page.getByTestId('detail-timeline');
    await timeline
      .locator('li[data-kind="review"]', { hasText: 'readme.txt:1: Capitalise World' })
      .waitFor(WAIT);
    const detail = await cliData<{ timeline: { kind: string; message: string }[] }>(
      ['task', 'get', task.id],
      penv,
    );
    expect(detail.timeline).toContainEqual(
      expect.objectContaining({
        kind: 'review',
        message: expect.stringContaining('readme.txt:1: Capitalise World'),
      }),
    );
    expect(await changes.getByTestId('line-comment').count()).toBe(0);

    // Approve: the work waits in the merge queue (its checks run) until the checks pass.
    await changes.getByTestId('action-approve').click();
    await page.getByTestId('detail-close').click();
    await page.getByTestId('view-queue').click();
    const row = page.getByTestId(`merge-queue-${task.id}`);
    await row.filter({ hasText: 'Greet the world' }).waitFor(WAIT);
    expect(['queued', 'merging']).toContain(await row.getAttribute('data-status'));
    const queue = await cliData<{ taskId: string }[]>(['merge-queue'], penv);
    expect(queue.map((w) => w.taskId)).toEqual([task.id]);
    await page.screenshot({ path: join(SHOTS, 'merge-queue.png') });

    writeFileSync(release, 'go');
    await page.getByTestId('merge-queue-empty').waitFor(WAIT);
    expect(box.git(repo, 'show', 'main:readme.txt')).toBe('hello, world');
    await page.getByTestId('view-board').click();
    await page.getByTestId('column-completed').getByTestId(`task-card-${task.id}`).waitFor(WAIT);
  });
});
