import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { RunningServer } from '../../src/gateway/server.js';
import { CLI, ROOT } from './cli.js';

/** The built web UI the test servers serve. */
export const WEB_ROOT = join(ROOT, 'web/dist');
/** Screenshots the browser tests keep. */
export const SHOTS = join(ROOT, 'test-artifacts');

/**
 * Debian's Chromium, headless: no sandbox (CI runs as root), and none of the background
 * connections it would make to a network this machine does not have.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** What a browser test file shares: one Chromium, and what each test opened, closed after it. */
export interface BrowserSuite {
  /** Set in beforeAll. */
  browser: Browser;
  contexts: BrowserContext[];
  servers: RunningServer[];
  homes: { cleanup(): void }[];
}

/**
 * Registers the hooks of a browser test file: Chromium launched once (after checking that the web
 * UI and the CLI are built), and after each test its contexts closed, its servers stopped and its
 * homes removed.
 */
export function browserSuite(): BrowserSuite {
  const suite: BrowserSuite = {
    browser: undefined as unknown as Browser,
    contexts: [],
    servers: [],
    homes: [],
  };
  beforeAll(async () => {
    for (const built of [join(WEB_ROOT, 'index.html'), CLI]) {
      if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first.`);
    }
    suite.browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterEach(async () => {
    await Promise.all(suite.contexts.splice(0).map((c) => c.close()));
    await Promise.all(suite.servers.splice(0).map((s) => s.close()));
    for (const h of suite.homes.splice(0)) h.cleanup();
  });
  afterAll(async () => {
    await suite.browser?.close();
  });
  return suite;
}
