import { EMPTY_USAGE } from '../../src/contract/views.js';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { Board } from '../../cli/tui/board.js';
import { Footer, Header, HelpOverlay, StatusBar } from '../../cli/tui/chrome.js';
import { SessionsPane } from '../../cli/tui/sessions-pane.js';
import type { DiffState } from '../../cli/tui/store.js';
import { DIFF_FILES_SHOWN, TaskDetail } from '../../cli/tui/task-detail.js';
import { NO_FILTER, groupTasks, resolveCursor, type Layout } from '../../cli/tui/view-model.js';
import type { TaskDetailView } from '../../cli/tui/wire-types.js';
import type { WorkspaceView } from '../../src/contract/views.js';
import { session, task } from './fixtures.js';

afterEach(() => cleanup());

const TASKS = [
  task('t_1', { title: 'Add login form', priority: 'high', labels: ['ui'] }),
  task('t_2', {
    title: 'Wire the API',
    status: 'in_progress',
    claim: { holder: 'alice', sessionId: '', expiresAt: '', claimedAt: '' },
    subtasksTotal: 3,
    subtasksCompleted: 1,
  }),
  task('t_3', {
    title: 'Write docs',
    status: 'blocked',
    blockedReason: 'Needs the staging key',
    priority: 'low',
  }),
  task('t_4', { title: 'Ship it', status: 'completed' }),
];

function board(layout: Layout, width: number, height = 20, cursorTask = 't_2') {
  const groups = groupTasks(TASKS, NO_FILTER, '');
  const cursor = resolveCursor(groups, { column: 0, row: 0, taskId: cursorTask }, layout);
  return render(
    <Board
      groups={groups}
      cursor={cursor}
      layout={layout}
      width={width}
      height={height}
      focused
      empty="No tasks."
    />,
  );
}

describe('Board', () => {
  it('shows a column per status with priority, claim holder, subtasks and blocked reason', () => {
    const frame = board('columns', 100).lastFrame()!;
    const header = frame.split('\n')[0]!;
    expect(header).toMatch(/PENDING 1\s+▸IN PROGRESS 1\s+BLOCKED 1\s+COMPLETED 1\s+CANCELLED 0/);
    expect(frame).toContain('H Add login form');
    expect(frame).toContain('t_2 @alice 1/3');
    expect(frame).toContain('L Write docs');
    expect(frame).toContain('⚠ Needs the');
    expect(frame).toContain('#ui');
  });

  it('draws the review column only while a task is in review', () => {
    const withReview = [...TASKS, task('t_5', { title: 'Reviewed', status: 'in_review' })];
    const groups = groupTasks(withReview, NO_FILTER, '');
    const cursor = resolveCursor(groups, { column: 0, row: 0, taskId: 't_1' }, 'columns');
    const shown = render(
      <Board groups={groups} cursor={cursor} layout="columns" width={140} height={10} focused empty="" />,
    ).lastFrame()!;
    expect(shown.split('\n')[0]).toMatch(/BLOCKED 1\s+IN REVIEW 1\s+COMPLETED 1/);
    expect(shown).toContain('Reviewed');
    expect(board('columns', 100).lastFrame()!).not.toContain('IN REVIEW');
  });

  it('on a narrow terminal lists the tasks in one column with a section per status', () => {
    const frame = board('list', 80).lastFrame()!;
    const lines = frame.split('\n');
    expect(lines[0]).toMatch(/^── PENDING \(1\) ─+$/);
    expect(lines[1]).toMatch(/^ H t_1\s+Add login form\s+#ui$/);
    expect(lines[2]).toMatch(/^── IN PROGRESS \(1\)/);
    expect(lines[3]).toMatch(/^▸M t_2\s+Wire the API\s+@alice 1\/3$/);
    expect(frame).toMatch(/t_3\s+Write docs\s+⚠ Needs the staging key/);
    expect(frame).not.toContain('CANCELLED');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('draws only the rows that fit, around the cursor, and says how many are hidden', () => {
    const many = Array.from({ length: 40 }, (_, i) => task(`t_${i + 1}`, { title: `Item ${i + 1}` }));
    const groups = groupTasks(many, NO_FILTER, '');
    const cursor = resolveCursor(groups, { column: 0, row: 0, taskId: 't_30' }, 'columns');
    const { lastFrame } = render(
      <Board groups={groups} cursor={cursor} layout="columns" width={100} height={11} focused empty="" />,
    );
    const frame = lastFrame()!;
    expect(frame.split('\n')).toHaveLength(11);
    expect(frame).toContain('Item 30');
    expect(frame).not.toContain('Item 1\n');
    expect(frame).toMatch(/PENDING 40 ↑\d+ ↓\d+/);
  });

  it('says so when nothing is shown', () => {
    const { lastFrame } = render(
      <Board
        groups={groupTasks([], NO_FILTER, '')}
        cursor={{ column: 0, row: 0, taskId: null }}
        layout="list"
        width={80}
        height={5}
        focused
        empty="No tasks yet. Press n to create one."
      />,
    );
    expect(lastFrame()).toContain('No tasks yet. Press n to create one.');
  });
});

describe('TaskDetail', () => {
  const detail: TaskDetailView = {
    usage: { sessions: 0, ...EMPTY_USAGE },
    task: task('t_5', {
      title: 'Build the parser',
      status: 'blocked',
      blockedReason: 'Grammar unclear',
      priority: 'high',
      claim: { holder: 'bob', sessionId: 's_2', expiresAt: '', claimedAt: '' },
      labels: ['core'],
      description: 'Parse the DSL.',
      subtasksTotal: 2,
      subtasksCompleted: 1,
    }),
    subtasks: [
      {
        id: 'st_1',
        taskId: 't_5',
        title: 'Tokenizer',
        status: 'completed',
        position: 1,
        version: 2,
        createdAt: '',
        updatedAt: '',
      },
      {
        id: 'st_2',
        taskId: 't_5',
        title: 'AST',
        status: 'pending',
        position: 2,
        version: 1,
        createdAt: '',
        updatedAt: '',
      },
    ],
    dependencies: [{ id: 't_1', title: 'Spec the DSL', status: 'in_progress' }],
    dependents: [{ id: 't_9', title: 'Codegen', status: 'pending' }],
    children: [],
    blockedBy: [{ id: 't_1', title: 'Spec the DSL', status: 'in_progress' }],
    timeline: [
      {
        id: 'tl_1',
        taskId: 't_5',
        kind: 'created',
        message: 'Created "Build the parser".',
        actor: 'alice',
        sessionId: '',
        createdAt: '2026-11-24T10:00:00.000Z',
      },
      {
        id: 'tl_2',
        taskId: 't_5',
        kind: 'status',
        message: 'in_progress -> blocked: Grammar unclear',
        actor: 'bob',
        sessionId: 's_2',
        createdAt: '2026-11-24T10:05:00.000Z',
      },
    ],
  };

  for (const width of [80, 120]) {
    it(`shows state, claim, subtasks, dependencies with their states and the timeline (${width} columns)`, () => {
      const { lastFrame } = render(
        <TaskDetail
          task={undefined}
          detail={detail}
          diff={null}
          subtaskIndex={1}
          width={width}
          height={20}
        />,
      );
      const frame = lastFrame()!;
      expect(frame).toContain('t_5 Build the parser');
      expect(frame).toMatch(/BLOCKED\s+priority high\s+claim @bob \(session s_2\)\s+labels core/);
      expect(frame).toContain('blocked: Grammar unclear');
      expect(frame).toContain('waiting for t_1');
      expect(frame).toContain('Subtasks 1/2');
      expect(frame).toContain(' [x] st_1 Tokenizer');
      expect(frame).toContain('▸[ ] st_2 AST');
      expect(frame).toMatch(/Depends on \(1\)[\s\S]*t_1 in_progress\s+Spec the DSL/);
      expect(frame).toMatch(/Needed by \(1\)[\s\S]*t_9 pending\s+Codegen/);
      expect(frame).toMatch(/status\s+bob: in_progress -> blocked/);
      for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(width);
    });
  }

  const workspace: WorkspaceView = {
    taskId: 't_5',
    projectId: 'p_1',
    status: 'review',
    branch: 'maestro/t_5-build-the-parser',
    baseBranch: 'main',
    path: '/ws/t_5',
    workingDir: '/ws/t_5',
    portStart: 0,
    portCount: 0,
    failureKind: '',
    failureMessage: '',
    failureFiles: [],
    mergeAttempts: 0,
    mergedCommit: '',
    queuedAt: '',
    createdAt: '',
    updatedAt: '2026-11-24T10:06:00.000Z',
  };
  const file = (path: string, status: string, additions: number, deletions: number, oldPath = '') => ({
    path,
    oldPath,
    status,
    additions,
    deletions,
    binary: additions < 0,
  });
  const diff = (files: ReturnType<typeof file>[], total = files.length): DiffState => ({
    taskId: 't_5',
    stamp: 'x',
    error: '',
    result: {
      taskId: 't_5',
      base: 'main',
      mergeBase: 'abc',
      head: 'def',
      files,
      filesTruncated: false,
      totals: {
        files: total,
        additions: files.reduce((n, f) => n + Math.max(0, f.additions), 0),
        deletions: files.reduce((n, f) => n + Math.max(0, f.deletions), 0),
      },
      stat: '',
      patch: '',
      patchTruncated: false,
    },
  });
  const changes = (props: { detail: TaskDetailView; diff: DiffState | null; width?: number }) =>
    render(
      <TaskDetail
        task={undefined}
        detail={props.detail}
        diff={props.diff}
        subtaskIndex={0}
        width={props.width ?? 120}
        height={30}
      />,
    ).lastFrame()!;

  it("lists a workspace's changed files with +/- counts and the totals", () => {
    const withWorkspace = { ...detail, isolation: 'worktree', workspace };
    const frame = changes({
      detail: withWorkspace,
      diff: diff([
        file('src/parser.ts', 'added', 120, 0),
        file('README.md', 'modified', 3, 1),
        file('logo.png', 'modified', -1, -1),
        file('src/new-name.ts', 'renamed', 0, 0, 'src/old-name.ts'),
      ]),
    });
    expect(frame).toContain('Changes 4 files +123 −1');
    expect(frame).toContain('workspace review · maestro/t_5-build-the-parser → main');
    // The counts line up after the longest name.
    expect(frame).toContain('A src/parser.ts                     +120 −0');
    expect(frame).toContain('M README.md                         +3 −1');
    expect(frame).toContain('M logo.png                          binary');
    expect(frame).toContain('R src/old-name.ts → src/new-name.ts');
    for (const width of [80, 120]) {
      const narrow = changes({ detail: withWorkspace, diff: diff([file('a.ts', 'added', 1, 0)]), width });
      for (const l of narrow.split(String.fromCharCode(10))) expect(l.length).toBeLessThanOrEqual(width);
    }

    const many = Array.from({ length: 12 }, (_, i) => file(`f${i}.ts`, 'added', 1, 0));
    const cut = changes({ detail: withWorkspace, diff: diff(many.slice(0, 12), 12) });
    expect(cut).toContain('Changes 12 files +12 −0');
    expect(cut).toContain(`f${DIFF_FILES_SHOWN - 1}.ts`);
    expect(cut).not.toContain(`f${DIFF_FILES_SHOWN}.ts`);
    expect(cut).toContain(`… ${12 - DIFF_FILES_SHOWN} more (maestro task diff t_5 --stat)`);

    expect(changes({ detail: withWorkspace, diff: diff([]) })).toContain('no changes against main yet');
    expect(changes({ detail: withWorkspace, diff: null })).toContain('loading the diff…');
  });

  it('says why a task has no workspace', () => {
    expect(
      changes({ detail: { ...detail, isolation: 'none: the project sets isolation none' }, diff: null }),
    ).toMatch(/Changes no workspace \(isolation: none\)\n\s+the project sets isolation none: workers run in/);
    expect(changes({ detail: { ...detail, isolation: 'worktree', workspace: null }, diff: null })).toMatch(
      /Changes no workspace yet\n\s+the first worker spawned for the task makes it/,
    );
  });

  it('shows the board copy of the task while the detail loads', () => {
    const { lastFrame } = render(
      <TaskDetail task={TASKS[0]} detail={null} diff={null} subtaskIndex={0} width={80} height={10} />,
    );
    expect(lastFrame()).toContain('t_1 Add login form');
    expect(lastFrame()).toContain('Loading…');
  });
});

describe('SessionsPane', () => {
  it("shows each session's status and the last lines of its output, live ones first", () => {
    const { lastFrame } = render(
      <SessionsPane
        sessions={[
          session('s_2', { status: 'running', taskIds: ['t_2'] }),
          session('s_1', { status: 'failed', failureReason: 'agent not found' }),
        ]}
        logs={new Map([['s_2', 'booting\r\nreading the task\r\nrunning tests\r\n']])}
        selectedId="s_2"
        focused={false}
        width={80}
        height={7}
      />,
    );
    const frame = lastFrame()!;
    expect(frame).toContain('SESSIONS 1 live · 2 in all');
    expect(frame).toMatch(/● s_2 worker-2 running t_2\n {2}reading the task\n {2}running tests/);
    expect(frame).toMatch(/○ s_1 worker-1 failed t_1 agent not found\n {2}\(no output yet\)/);
  });
});

describe('chrome', () => {
  it('the header shows the project, counts, the filter and the connection state', () => {
    const { lastFrame, rerender } = render(
      <Header
        project="webapp"
        counts={{ shown: 3, total: 10 }}
        filterText="status:pending"
        connection={{ state: 'live', attempt: 0, error: '', seq: 42 }}
        width={100}
      />,
    );
    expect(lastFrame()).toMatch(/^maestro webapp · 3\/10 tasks · status:pending\s+● live #42$/);
    rerender(
      <Header
        project="webapp"
        counts={{ shown: 10, total: 10 }}
        filterText=""
        connection={{ state: 'reconnecting', attempt: 2, error: 'gone', seq: 42 }}
        width={100}
      />,
    );
    expect(lastFrame()).toMatch(/10 tasks\s+○ reconnecting \(attempt 3\) from #42$/);
  });

  it("the header shows the project's autopilot: on with live workers of the cap, or off and why", () => {
    const header = (autopilot: Parameters<typeof Header>[0]['autopilot']) =>
      render(
        <Header
          project="webapp"
          counts={{ shown: 3, total: 3 }}
          filterText="label:ui"
          connection={{ state: 'live', attempt: 0, error: '', seq: 7 }}
          autopilot={autopilot}
          width={120}
        />,
      ).lastFrame()!;
    expect(header({ enabled: true, maxWorkers: 4, live: 1, reason: '' })).toMatch(
      /^maestro webapp · 3 tasks · label:ui · autopilot on 1\/4 workers\s+● live #7$/,
    );
    expect(header({ enabled: false, maxWorkers: 4, live: 0, reason: '' })).toMatch(
      /· 3 tasks · label:ui · autopilot off\s/,
    );
    expect(
      header({ enabled: false, maxWorkers: 4, live: 2, reason: 'cost $2.0000 reached the budget of $2' }),
    ).toContain('autopilot off (cost $2.0000 reached the budget of $2) · 2 workers live');
    expect(header(null)).not.toContain('autopilot');
  });

  it('the status line shows an error with its hint', () => {
    const { lastFrame } = render(
      <StatusBar
        status={{
          kind: 'error',
          text: "Task 't_1' is pending; it cannot complete.",
          hint: 'Start it first.',
        }}
        width={100}
      />,
    );
    expect(lastFrame()).toBe("error: Task 't_1' is pending; it cannot complete. hint: Start it first.");
  });

  it('the footer fits the keys in two lines at 80 columns; the help lists them all', () => {
    const footer = render(<Footer context="board" width={80} />).lastFrame()!;
    expect(footer.split('\n')).toHaveLength(2);
    for (const key of [
      'n new',
      'a subtask',
      's start',
      'b block',
      'u unblock',
      'c complete',
      'r reopen',
      'S spawn',
      'A autopilot',
      'f filter',
      '/ search',
      '? help',
      'q quit',
    ])
      expect(footer).toContain(key);
    const help = render(<HelpOverlay width={80} height={20} />).lastFrame()!;
    expect(help.split('\n')).toHaveLength(20);
    for (const key of ['hjkl', 'tab', 'f  ', '/  ', 'n  ', 'S  ', 'A  ', 'x  ', 'q, ctrl-c'])
      expect(help).toContain(key);
  });
});
