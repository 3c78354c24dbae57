import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

/**
 * Regression: `void this.hello()`, `void this.pump()` and `void this.spawn()` could reject unhandled
 * (Node 20 then exits). The product's code may not drop a promise, not even behind `void`: it goes
 * through src/shared/background.ts. `npm run lint` enforces it; this checks that the rule covers
 * every folder of product code, with `void` not counting as handling.
 */
describe('a promise nobody handles is a lint error in the product code', () => {
  const eslint = new ESLint({ cwd: ROOT });
  it.each([
    'src/gateway/ws/session-core.ts',
    'src/gateway/spawn/dispatcher.ts',
    'src/runner/runner.ts',
    'src/client/ws-client.ts',
    'cli/tui/store.ts',
    'cli/tui/app.tsx',
    'web/src/board-store.ts',
    'web/src/task-detail.tsx',
  ])('%s', async (file) => {
    const { rules } = (await eslint.calculateConfigForFile(file)) as { rules: Record<string, unknown[]> };
    expect(rules['@typescript-eslint/no-floating-promises']).toEqual([
      2,
      expect.objectContaining({ ignoreVoid: false }),
    ]);
    expect(rules['@typescript-eslint/no-misused-promises']?.[0]).toBe(2);
  });
});
