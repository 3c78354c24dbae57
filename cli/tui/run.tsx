import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { render } from 'ink';
import { App } from './app.js';
import type { TuiStore } from './store.js';

export interface RunTuiOptions {
  /** Started already: it loads the board while Ink and React load. */
  store: TuiStore;
  /** MAESTRO_TUI_TIMING: a file that gets one JSON line when the first board is on screen. */
  timingFile?: string;
}

// The alternate screen keeps the shell's scrollback as it was; the cursor is hidden by Ink.
const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';

/** Runs the board on this terminal until the user quits (q, Ctrl-C) or the process is told to stop. */
export async function runTui({ store, timingFile }: RunTuiOptions): Promise<void> {
  const uiLoadedMs = performance.now();
  const stdout = process.stdout;
  stdout.write(ENTER_ALT_SCREEN);
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    stdout.write(LEAVE_ALT_SCREEN);
  };
  process.once('exit', leave);
  const onLoaded = (tasks: number) => {
    if (!timingFile) return;
    appendFileSync(
      timingFile,
      JSON.stringify({
        event: 'first-board',
        msSinceStart: Math.round(performance.now()),
        boardLoadedMs: Math.round(store.loadedAtMs ?? 0),
        uiLoadedMs: Math.round(uiLoadedMs),
        tasks,
      }) + '\n',
    );
  };
  const instance = render(<App store={store} onLoaded={onLoaded} />, { exitOnCtrlC: true });
  const stop = () => instance.unmount();
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);
  try {
    await instance.waitUntilExit();
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGHUP', stop);
    instance.cleanup();
    leave();
  }
}
