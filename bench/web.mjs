#!/usr/bin/env node
// Web UI benchmark, in a real Chromium (/usr/bin/chromium) against the real server (built CLI, fresh
// MAESTRO_HOME, loopback): for boards of 500, 5,000 and 50,000 tasks, the time from navigation to
// the first card on screen (first render) and to a board whose every column has its count and a
// frame painted after it (interactive); the page's JS heap then; how long scrolling the largest
// column to its end takes to show its last card, and the longest frame while scrolling through it;
// and how long a click on a card takes to open its detail. Then the dependency graph's ELK layout
// time at 500 tasks, and the page's JS heap before and after a bounded stream of events
// (Tasks.Update at a steady rate, default 200/s for 10 s) reaches it.
// Prints a human-readable report and, as its last line, one JSON object with the same figures.
//
//   node bench/web.mjs [--sizes 500,5000,50000] [--rate 200] [--duration 10]
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  connect,
  machineInfo,
  maestroApi,
  metadataFor,
  numberOption,
  parseOptions,
  requireBuild,
  runMain,
  seedProject,
  sleep,
  stopServer,
  unary,
  withServerHome,
} from './lib.mjs';

const HELP = `Usage: node bench/web.mjs [options]

  --sizes A,B      board sizes in tasks (default 500,5000,50000)
  --rate R         events per second in the stream (default 200)
  --duration S     seconds of the stream (default 10)
`;

/**
 * Records, in the page, when the first card is in the DOM and when the column counts add up to
 * `expected` (the whole board is there, however many of its cards are mounted), then a frame after.
 */
const OBSERVER = `
  window.__bench = { first: null, all: null };
  const expected = Number(new URLSearchParams(location.search).get('benchTasks') || 0);
  const check = () => {
    if (window.__bench.first === null && document.querySelector('[data-testid^="task-card-"]'))
      window.__bench.first = performance.now();
    if (!expected || window.__bench.allDom !== undefined) return;
    let n = 0;
    for (const c of document.querySelectorAll('.column > header .count')) n += Number(c.textContent.replace(/\\D/g, ''));
    if (n >= expected) {
      window.__bench.allDom = performance.now();
      requestAnimationFrame(() => setTimeout(() => { window.__bench.all = performance.now(); }, 0));
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
`;

/**
 * In the page: scrolls the column with the most cards to its end and waits for its last card to be
 * mounted and on screen (ms); then scrolls back through it, a step per frame, and keeps the longest
 * frame (ms). The column scrolls itself (a virtualized list) or, with every card mounted, the page.
 */
/* global document, getComputedStyle, requestAnimationFrame, innerHeight -- SCROLL_COLUMN runs in the page */
const SCROLL_COLUMN = async () => {
  const count = (col) => Number(col.querySelector('header .count')?.textContent?.replace(/\D/g, '') ?? 0);
  const column = [...document.querySelectorAll('.column')].sort((a, b) => count(b) - count(a))[0];
  const rows = count(column);
  const first = column.querySelector('[data-testid^="task-card-"]');
  let scroller = document.scrollingElement;
  for (let el = first?.parentElement; el && el !== column; el = el.parentElement)
    if (/auto|scroll/.test(getComputedStyle(el).overflowY) && el.scrollHeight > el.clientHeight) {
      scroller = el;
      break;
    }
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const onScreen = (el) => {
    const r = el.getBoundingClientRect();
    const box =
      scroller === document.scrollingElement
        ? { top: 0, bottom: innerHeight }
        : scroller.getBoundingClientRect();
    return r.bottom > box.top && r.top < box.bottom;
  };
  const t0 = performance.now();
  scroller.scrollTop = scroller.scrollHeight;
  for (;;) {
    const last = column.querySelector(`[data-row="${rows - 1}"]`);
    if (last && onScreen(last)) break;
    if (performance.now() - t0 > 60_000) throw new Error('the last card never showed');
    scroller.scrollTop = scroller.scrollHeight;
    await frame();
  }
  await frame();
  const toEnd = performance.now() - t0;
  let longest = 0;
  let before = performance.now();
  const step = Math.max(200, Math.ceil(scroller.scrollHeight / 120));
  for (let i = 0; i < 120 && scroller.scrollTop > 0; i++) {
    scroller.scrollTop -= step;
    await frame();
    const now = performance.now();
    longest = Math.max(longest, now - before);
    before = now;
  }
  const mounted = document.querySelectorAll('[data-testid^="task-card-"]').length;
  return { rows, toEnd, longest, mounted };
};

const round = (ms) => Math.round(ms);
const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function main() {
  const options = parseOptions(['sizes', 'rate', 'duration'], HELP);
  const sizes = String(options.sizes ?? '500,5000,50000')
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
  const rate = numberOption('rate', options.rate, 200, 1, 5000);
  const duration = numberOption('duration', options.duration, 10, 1, 120);
  requireBuild();

  return withServerHome({ prefix: 'maestro-bench-web-', budgetMs: 30 * 60_000 }, async (ctx) => {
    const started = await ctx.start({});
    if (!started) return;
    const { server, target, token } = started;
    const info = await server.ready;
    const metadata = metadataFor(token, 'bench-web');
    const projects = connect(maestroApi().Projects, target);
    const tasksApi = connect(maestroApi().Tasks, target);
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    const results = { machine: machineInfo(), boards: [], graph: null, stream: null };
    try {
      const seeded = new Map();
      for (const size of sizes) {
        const dir = mkdtempSync(join(os.tmpdir(), `maestro-bench-web-${size}-`));
        await unary(projects, 'Create', { name: `bench-${size}`, workingDir: dir }, metadata);
        const seed = await seedProject(target, token, dir, size, (n) => `Task ${n} of the web bench.`);
        // Chains of ten: each task waits for the one before it, so the graph has edges and depth.
        if (size <= 500)
          for (let i = 1; i < seed.taskIds.length; i++)
            if (i % 10)
              await unary(
                tasksApi,
                'AddDependency',
                { taskId: seed.taskIds[i], dependsOnId: seed.taskIds[i - 1] },
                metadata,
              );
        seeded.set(size, seed);
        console.log(`seeded ${size} tasks in ${round(seed.seedMs)} ms`);
      }

      const open = async (size, view = '') => {
        const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
        await context.addInitScript(OBSERVER);
        const page = await context.newPage();
        const url = `${info.ui}&project=${seeded.get(size).projectId}`;
        // The token link redirects to the board; the redirect keeps the project.
        await page.goto(url.replace('?token=', `?benchTasks=${size}&token=`) + view);
        return { context, page };
      };

      for (const size of sizes) {
        const { context, page } = await open(size);
        await page.waitForFunction(() => globalThis.__bench.all !== null, null, {
          timeout: 600_000,
          polling: 250,
        });
        const nav = await page.evaluate(() => ({
          first: globalThis.__bench.first,
          allDom: globalThis.__bench.allDom,
          all: globalThis.__bench.all,
        }));
        const cdp = await context.newCDPSession(page);
        await cdp.send('HeapProfiler.collectGarbage');
        const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
        const scroll = await page.evaluate(SCROLL_COLUMN);
        const card = page.locator('[data-testid^="task-card-"]').first();
        const clickStart = Date.now();
        await card.click();
        await page.getByTestId('task-detail').waitFor({ timeout: 60_000 });
        const clickMs = Date.now() - clickStart;
        const row = {
          tasks: size,
          firstRenderMs: round(nav.first),
          countsMs: round(nav.allDom),
          interactiveMs: round(nav.all),
          heapMb: mb(heap),
          cardsMounted: scroll.mounted,
          scrollToEndMs: round(scroll.toEnd),
          longestScrollFrameMs: round(scroll.longest),
          clickToDetailMs: clickMs,
        };
        results.boards.push(row);
        console.log(
          `${size} tasks: first card ${row.firstRenderMs} ms, interactive ${row.interactiveMs} ms, ` +
            `JS heap ${row.heapMb} MB, ${row.cardsMounted} cards in the DOM; a column of ${scroll.rows} ` +
            `scrolled to its end in ${row.scrollToEndMs} ms, longest frame scrolling through it ` +
            `${row.longestScrollFrameMs} ms; click to detail ${row.clickToDetailMs} ms`,
        );
        await context.close();
      }

      const graphSize = sizes.includes(500) ? 500 : sizes[0];
      {
        const { context, page } = await open(graphSize, '&view=graph');
        await page.locator('[data-testid="graph"][data-laid-out="yes"]').waitFor({ timeout: 120_000 });
        const layoutMs = await page.evaluate(() => globalThis.__maestroGraphLayoutMs);
        results.graph = { tasks: graphSize, layoutMs: round(layoutMs) };
        console.log(`graph of ${graphSize} tasks: ELK layout ${round(layoutMs)} ms`);
        await context.close();
      }

      {
        const { context, page } = await open(graphSize);
        await page.waitForFunction(() => globalThis.__bench.all !== null, null, { timeout: 120_000 });
        const cdp = await context.newCDPSession(page);
        const heap = async () => {
          await cdp.send('HeapProfiler.collectGarbage');
          return (await cdp.send('Runtime.getHeapUsage')).usedSize;
        };
        const before = await heap();
        const ids = seeded.get(graphSize).taskIds;
        const total = Math.round(rate * duration);
        const t0 = Date.now();
        let sent = 0;
        const inflight = new Set();
        while (sent < total) {
          const due = t0 + (sent * 1000) / rate;
          await sleep(due - Date.now());
          const n = sent++;
          const p = unary(
            tasksApi,
            'Update',
            { id: ids[n % ids.length], title: `Seeded task, edit ${n}` },
            metadata,
          );
          inflight.add(p);
          void p.finally(() => inflight.delete(p));
        }
        await Promise.all(inflight);
        const producedMs = Date.now() - t0;
        // The page has applied the stream when the last edit is on its card: searched for, since the
        // card may be scrolled out of its column's view (and not mounted).
        const last = `Seeded task, edit ${total - 1}`;
        await page.getByTestId('filter-text').fill(last);
        await page.getByText(last, { exact: true }).waitFor({ timeout: 60_000 });
        const appliedMs = Date.now() - t0;
        const after = await heap();
        results.stream = {
          tasks: graphSize,
          events: total,
          rate,
          producedMs,
          appliedMs,
          heapBeforeMb: mb(before),
          heapAfterMb: mb(after),
        };
        console.log(
          `stream: ${total} events at ${rate}/s on ${graphSize} tasks, produced in ${producedMs} ms, ` +
            `applied by ${appliedMs} ms; JS heap ${mb(before)} MB before, ${mb(after)} MB after (after GC)`,
        );
        await context.close();
      }
    } finally {
      await browser.close();
      projects.close();
      tasksApi.close();
      await stopServer(server);
    }
    console.log(JSON.stringify(results));
  });
}

runMain(main);
