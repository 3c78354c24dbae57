import { Box, useApp, useInput, useStdin, useStdout, type Key } from 'ink';
import { useEffect, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import { Board } from './board.js';
import {
  Footer,
  Header,
  HelpOverlay,
  PromptLine,
  StatusBar,
  footerLines,
  type KeyContext,
  type PromptState,
} from './chrome.js';
import { SessionLog, SessionsPane } from './sessions-pane.js';
import type { StatusLine, TuiState, TuiStore } from './store.js';
import { TaskDetail } from './task-detail.js';
import {
  NO_FILTER,
  describeFilter,
  groupTasks,
  isFiltered,
  moveCursor,
  parseFilter,
  resolveCursor,
  sortSessions,
  type Cursor,
  type Groups,
  type Layout,
  type Move,
  type TaskFilter,
} from './view-model.js';
import { liveWorkerCount } from '../../src/contract/views.js';
import type { TaskView } from './wire-types.js';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export interface AppProps {
  store: TuiStore;
  /** A fixed size (tests); by default the terminal's, following its resizes. */
  size?: TerminalSize;
  /** Called once, after the first frame that shows the loaded board. */
  onLoaded?: (tasks: number) => void;
}

/** Below this width the board is one list with a section per status instead of columns. */
export const COLUMNS_MIN_WIDTH = 100;
/** From this width the sessions pane sits beside the board instead of under it. */
export const SIDE_PANE_MIN_WIDTH = 150;

interface UiState {
  screen: 'board' | 'detail' | 'logs';
  focus: 'board' | 'sessions';
  cursor: Cursor;
  filter: TaskFilter;
  search: string;
  /** The session selected in the pane (and shown by the output screen). */
  sessionId: string | null;
  subtaskIndex: number;
  prompt: PromptState | null;
  help: boolean;
}

const INITIAL_UI: UiState = {
  screen: 'board',
  focus: 'board',
  cursor: { column: -1, row: 0, taskId: null },
  filter: NO_FILTER,
  search: '',
  sessionId: null,
  subtaskIndex: 0,
  prompt: null,
  help: false,
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

function useTerminalSize(fixed?: TerminalSize): TerminalSize {
  const { stdout } = useStdout();
  const read = () => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}

/** Grouping 1,000 tasks is cheap, but not per key press: the last result is kept while its inputs are. */
function useGroups() {
  const cache = useRef<{ tasks: unknown; filter: TaskFilter; search: string; groups: Groups } | null>(null);
  return (tasks: ReadonlyMap<string, TaskView>, filter: TaskFilter, search: string): Groups => {
    const c = cache.current;
    if (c && c.tasks === tasks && c.filter === filter && c.search === search) return c.groups;
    const groups = groupTasks(tasks.values(), filter, search);
    cache.current = { tasks, filter, search, groups };
    return groups;
  };
}

/**
 * The interactive board. All UI state lives in one ref so that key presses arriving faster than
 * React re-renders each see the state the previous one left; the server's state comes from the
 * store.
 */
export function App({ store, size: fixedSize, onLoaded }: AppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  const { columns, rows } = useTerminalSize(fixedSize);
  const ui = useRef<UiState>(INITIAL_UI);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const groupsOf = useGroups();
  const reported = useRef(false);

  const update = (patch: Partial<UiState>) => {
    ui.current = { ...ui.current, ...patch };
    rerender();
  };

  const width = Math.max(40, columns);
  // One row is left free: a frame as tall as the terminal makes Ink clear the screen on every redraw.
  const height = Math.max(10, rows - 1);
  const layout: Layout = width >= COLUMNS_MIN_WIDTH ? 'columns' : 'list';
  const side = width >= SIDE_PANE_MIN_WIDTH;

  useEffect(() => {
    if (state.loaded && !reported.current) {
      reported.current = true;
      onLoaded?.(state.tasks.size);
    }
  }, [state.loaded, state.tasks.size, onLoaded]);

  const screenOf = (u: UiState, s: TuiState): UiState['screen'] => {
    if (u.screen === 'detail' && !s.openTaskId) return 'board';
    if (u.screen === 'logs' && !(u.sessionId && s.sessions.has(u.sessionId))) return 'board';
    return u.screen;
  };

  const keyContextOf = (u: UiState, s: TuiState): KeyContext => {
    const screen = screenOf(u, s);
    if (u.help) return 'help';
    if (screen === 'board') return u.focus === 'sessions' ? 'sessions' : 'board';
    return screen;
  };
  const bodyHeightOf = (u: UiState, s: TuiState) =>
    height - 2 - footerLines(keyContextOf(u, s), width).length;

  const selectedTaskId = (u: UiState, s: TuiState): string | null => {
    if (screenOf(u, s) === 'detail') return s.openTaskId;
    return resolveCursor(groupsOf(s.tasks, u.filter, u.search), u.cursor, layout).taskId;
  };

  const needTask = (u: UiState, s: TuiState): string | null => {
    const id = selectedTaskId(u, s);
    if (!id)
      store.setStatus({
        kind: 'error',
        text: 'No task is selected.',
        hint: 'Move to a task first, or press n to create one.',
      });
    return id;
  };

  const ask = (kind: PromptState['kind'], label: string, extra: Partial<PromptState> = {}) =>
    update({ prompt: { kind, label, value: '', ...extra } });

  const submit = (prompt: PromptState) => {
    update({ prompt: null });
    const value = prompt.value.trim();
    switch (prompt.kind) {
      case 'new':
        store.inBackground('creating the task', () =>
          store.createTask(value).then((task) => {
            if (task) update({ cursor: { ...ui.current.cursor, taskId: task.id } });
          }),
        );
        return;
      case 'subtask':
        store.inBackground('adding the subtask', () => store.addSubtask(prompt.taskId!, value));
        return;
      case 'block':
        store.inBackground('blocking the task', () => store.blockTask(prompt.taskId!, value));
        return;
      case 'search':
        update({ search: value });
        return;
      case 'filter': {
        const parsed = parseFilter(value);
        if (!parsed.ok) {
          store.setStatus({ kind: 'error', text: parsed.message, hint: parsed.hint });
          return;
        }
        update({ filter: parsed.filter });
        const text = describeFilter(parsed.filter);
        store.setStatus({ kind: 'info', text: text ? `Filter: ${text}` : 'Filter cleared.' });
        return;
      }
    }
  };

  const promptKey = (prompt: PromptState, input: string, key: Key) => {
    if (key.escape) {
      update({ prompt: null, ...(prompt.kind === 'search' ? { search: prompt.previous ?? '' } : {}) });
      return;
    }
    if (key.return) return submit(prompt);
    let value = prompt.value;
    if (key.backspace || key.delete) value = Array.from(value).slice(0, -1).join('');
    else if (key.ctrl && input === 'u') value = '';
    else if (
      key.ctrl ||
      key.meta ||
      key.tab ||
      key.upArrow ||
      key.downArrow ||
      key.leftArrow ||
      key.rightArrow
    )
      return;
    else {
      // Text typed or pasted together with Enter arrives as one string.
      const enter = input.search(/[\r\n]/);
      value += (enter >= 0 ? input.slice(0, enter) : input).replace(CONTROL, '');
      if (enter >= 0) return submit({ ...prompt, value });
    }
    const next = { ...prompt, value };
    update({ prompt: next, ...(prompt.kind === 'search' ? { search: value } : {}) });
  };

  const taskAction = (input: string, u: UiState, s: TuiState): boolean => {
    const actions: Record<string, (id: string) => void> = {
      s: (id) => store.inBackground('starting the task', () => store.startTask(id)),
      u: (id) => store.inBackground('unblocking the task', () => store.unblockTask(id)),
      c: (id) => store.inBackground('completing the task', () => store.completeTask(id)),
      r: (id) => store.inBackground('reopening the task', () => store.reopenTask(id)),
      S: (id) => store.inBackground('spawning a session', () => store.spawnSession(id)),
      a: (id) => ask('subtask', `New subtask of ${id}`, { taskId: id }),
      b: (id) => ask('block', `Why is ${id} blocked?`, { taskId: id }),
    };
    const action = actions[input];
    if (!action) return false;
    const id = needTask(u, s);
    if (id) action(id);
    return true;
  };

  const moveOf = (input: string, key: Key): Move | undefined => {
    if (key.upArrow || input === 'k') return 'up';
    if (key.downArrow || input === 'j') return 'down';
    if (key.leftArrow || input === 'h') return 'left';
    if (key.rightArrow || input === 'l') return 'right';
    if (key.pageUp) return 'pageUp';
    if (key.pageDown) return 'pageDown';
    if (key.home || input === 'g') return 'top';
    if (key.end || input === 'G') return 'bottom';
    return undefined;
  };

  const onKey = (input: string, key: Key) => {
    const u = ui.current;
    const s = store.getSnapshot();
    if (key.ctrl && input === 'c') return exit();
    if (u.prompt) return promptKey(u.prompt, input, key);
    if (u.help) {
      if (input === '?' || input === 'q' || key.escape) update({ help: false });
      return;
    }
    if (input === '?') return update({ help: true });
    if (input === 'q') return exit();
    if (input === 'R') return store.retryNow();
    if (input === 'P') {
      update({ cursor: { column: -1, row: 0, taskId: null } });
      return store.inBackground('switching the project', () => store.nextProject());
    }
    if (input === 'n') return ask('new', 'New task title');
    if (input === 'A') return store.inBackground('switching the autopilot', () => store.toggleAutopilot());
    const screen = screenOf(u, s);

    if (screen === 'logs') {
      if (key.escape || key.leftArrow || input === 'h') update({ screen: 'board' });
      return;
    }

    if (screen === 'detail') {
      const subtasks = s.detail?.subtasks ?? [];
      if (key.escape || key.leftArrow || input === 'h') {
        store.closeTask();
        return update({ screen: 'board' });
      }
      if (key.downArrow || input === 'j')
        return update({ subtaskIndex: Math.min(Math.max(0, subtasks.length - 1), u.subtaskIndex + 1) });
      if (key.upArrow || input === 'k') return update({ subtaskIndex: Math.max(0, u.subtaskIndex - 1) });
      if (input === 'x' || input === ' ') {
        const subtask = subtasks[Math.min(u.subtaskIndex, subtasks.length - 1)];
        if (subtask) store.inBackground('checking the subtask', () => store.toggleSubtask(subtask));
        else
          store.setStatus({ kind: 'error', text: 'This task has no subtasks.', hint: 'Press a to add one.' });
        return;
      }
      taskAction(input, u, s);
      return;
    }

    if (u.focus === 'sessions') {
      const list = sortSessions(s.sessions.values());
      const index = list.findIndex((x) => x.id === u.sessionId);
      if (key.tab || key.escape) return update({ focus: 'board' });
      if (key.downArrow || input === 'j')
        return update({ sessionId: list[Math.min(list.length - 1, index + 1)]?.id ?? null });
      if (key.upArrow || input === 'k')
        return update({ sessionId: list[Math.max(0, index - 1)]?.id ?? null });
      if (key.return && u.sessionId) return update({ screen: 'logs' });
      return;
    }

    const groups = groupsOf(s.tasks, u.filter, u.search);
    const move = moveOf(input, key);
    if (move)
      return update({
        cursor: moveCursor(groups, u.cursor, move, layout, Math.max(1, bodyHeightOf(u, s) - 4)),
      });
    if (key.return) {
      const id = resolveCursor(groups, u.cursor, layout).taskId;
      if (!id) return;
      store.openTask(id);
      return update({ screen: 'detail', subtaskIndex: 0 });
    }
    if (key.tab) {
      const first = sortSessions(s.sessions.values())[0];
      return update({ focus: 'sessions', sessionId: u.sessionId ?? first?.id ?? null });
    }
    if (key.escape) {
      if (isFiltered(u.filter, u.search)) {
        update({ filter: NO_FILTER, search: '' });
        store.setStatus({ kind: 'info', text: 'Filter and search cleared.' });
      }
      return;
    }
    if (input === 'f') return ask('filter', 'Filter', { value: describeFilter(u.filter) });
    if (input === '/') return ask('search', 'Search', { value: u.search, previous: u.search });
    taskAction(input, u, s);
  };

  useInput(onKey, { isActive: isRawModeSupported === true });

  // --- drawing ----------------------------------------------------------------------------------
  const u = ui.current;
  const screen = screenOf(u, state);
  const groups = groupsOf(state.tasks, u.filter, u.search);
  const cursor = resolveCursor(groups, u.cursor, layout);
  const shown = groups.reduce((n, g) => n + g.length, 0);
  const sessions = sortSessions(state.sessions.values());
  const connectionStatus: StatusLine | null =
    state.connection.state !== 'live' && state.connection.error
      ? {
          kind: 'error',
          text: state.connection.error,
          hint: 'Reconnecting on its own; press R to retry now.',
        }
      : null;
  const keyContext = keyContextOf(u, state);
  const bodyHeight = bodyHeightOf(u, state);

  let body;
  if (u.help) {
    body = <HelpOverlay width={width} height={bodyHeight} />;
  } else if (screen === 'detail') {
    body = (
      <TaskDetail
        task={state.openTaskId ? state.tasks.get(state.openTaskId) : undefined}
        detail={state.detail?.task.id === state.openTaskId ? state.detail : null}
        diff={state.diff?.taskId === state.openTaskId ? state.diff : null}
        subtaskIndex={u.subtaskIndex}
        width={width}
        height={bodyHeight}
      />
    );
  } else if (screen === 'logs') {
    const session = state.sessions.get(u.sessionId!)!;
    body = (
      <SessionLog
        session={session}
        text={state.logs.get(session.id) ?? ''}
        width={width}
        height={bodyHeight}
      />
    );
  } else {
    const paneWidth = side ? Math.min(60, Math.floor(width * 0.32)) : width;
    const paneHeight = side
      ? bodyHeight
      : sessions.length
        ? Math.max(4, Math.min(12, Math.floor(bodyHeight * 0.3)))
        : 2;
    const boardWidth = side ? width - paneWidth - 1 : width;
    const boardHeight = side ? bodyHeight : bodyHeight - paneHeight;
    const empty = !state.loaded
      ? 'Loading…'
      : state.tasks.size === 0
        ? 'No tasks yet. Press n to create one.'
        : 'No task matches the filter or search. Esc clears them.';
    body = (
      <Box flexDirection={side ? 'row' : 'column'} width={width} height={bodyHeight}>
        <Board
          groups={groups}
          cursor={cursor}
          layout={layout}
          width={boardWidth}
          height={boardHeight}
          focused={u.focus === 'board'}
          empty={empty}
        />
        {side ? <Box width={1} /> : null}
        <SessionsPane
          sessions={sessions}
          logs={state.logs}
          selectedId={u.sessionId}
          focused={u.focus === 'sessions'}
          width={paneWidth}
          height={paneHeight}
        />
      </Box>
    );
  }

  const filterText = [describeFilter(u.filter), u.search ? `/${u.search}` : ''].filter(Boolean).join(' ');
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header
        project={state.project?.name ?? ''}
        counts={{ shown, total: state.tasks.size }}
        filterText={filterText}
        connection={state.connection}
        autopilot={
          state.autopilot
            ? {
                enabled: state.autopilot.enabled,
                maxWorkers: state.autopilot.maxWorkers,
                live: liveWorkerCount(state.sessions.values()),
                reason: state.autopilot.reason,
              }
            : null
        }
        width={width}
      />
      <Box height={bodyHeight} width={width}>
        {body}
      </Box>
      {u.prompt ? (
        <PromptLine prompt={u.prompt} width={width} />
      ) : (
        <StatusBar status={state.status ?? connectionStatus} width={width} />
      )}
      <Footer context={keyContext} width={width} />
    </Box>
  );
}
