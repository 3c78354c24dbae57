import { cliError } from '../errors.js';
import type { Command } from '../registry.js';

/**
 * `maestro tui` (and `maestro` alone on a terminal): the interactive board. Ink and React load
 * here, on demand; every other command, and `--json` always, runs without them.
 */
export const TUI_COMMAND: Command = {
  path: ['tui'],
  summary: 'Open the interactive board (also `maestro` alone on a terminal); needs a terminal, not --json.',
  examples: ['maestro tui', 'maestro tui --project p_2'],
  env: ['MAESTRO_PROJECT_ID', 'MAESTRO_TUI_TIMING'],
  async run(ctx) {
    if (ctx.json) {
      throw cliError(
        'invalid_argument',
        'maestro tui is interactive and has no --json output.',
        "Use 'maestro task list --json', 'maestro events --follow --json' or 'maestro status --json'.",
        { flag: 'json' },
      );
    }
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw cliError(
        'invalid_argument',
        'maestro tui needs a terminal: stdin and stdout must both be TTYs.',
        "Run it in a terminal; from a script use 'maestro task list' or 'maestro events --follow'.",
        { stdinTTY: process.stdin.isTTY === true, stdoutTTY: process.stdout.isTTY === true },
      );
    }
    // Ink draws nothing live when it thinks it runs in CI, which does not apply to a person at a
    // terminal; and DEV=true makes it connect to React devtools, which are not shipped.
    delete process.env.CI;
    delete process.env.CONTINUOUS_INTEGRATION;
    delete process.env.DEV;
    const client = ctx.client();
    const explicit = ctx.flag('project') || ctx.env.MAESTRO_PROJECT_ID;
    // The board starts loading first; Ink and React (the larger chunk) load while the server answers.
    const { TuiStore } = await import('../tui/store.js');
    const store = new TuiStore({
      client,
      // Not ctx.projectId(): that caches a failure, and the TUI retries until the server answers.
      resolveProject: () =>
        explicit
          ? client.op('project.get', { id: explicit })
          : client.op('project.resolve', { workingDir: ctx.cwd }),
    });
    store.start();
    try {
      const { runTui } = await import('../tui/run.js');
      await runTui({ store, timingFile: ctx.env.MAESTRO_TUI_TIMING || undefined });
    } finally {
      store.close();
    }
    return { data: null, streamed: true };
  },
};
