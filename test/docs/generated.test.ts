import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../cli/commands/index.js';
import { GENERATED, docPath, documentedCommands, render } from '../../scripts/docs-sections.js';

/**
 * The docs' generated parts match the registries they come from: a command's usage line, the
 * WebSocket operations, the limits. Fix a failure with `npm run docs`.
 */
describe('generated docs', () => {
  it.each(Object.keys(GENERATED))('docs/%s is what the registries say', async (file) => {
    expect(readFileSync(docPath(file), 'utf8'), `run npm run docs to update docs/${file}`).toBe(
      await render(file),
    );
  });

  it('docs/cli.md shows the usage line of every command, once', () => {
    const documented = documentedCommands(readFileSync(docPath('cli.md'), 'utf8'));
    expect([...documented].sort()).toEqual(COMMANDS.map((c) => c.path.join(' ')).sort());
  });
});
