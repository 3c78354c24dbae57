import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { missingWorkspace } from '../../src/client/board-queries.js';
import type { DiffState } from './store.js';
import type { TaskDetailView, TaskRefView, TaskView } from './wire-types.js';
import { DIFF_MARK, STATUS_LABEL, priorityMark, statusColor } from './theme.js';
import { shortTime, windowStart } from './view-model.js';

export interface TaskDetailProps {
  /** The board's copy of the task, shown while the detail loads. */
  task: TaskView | undefined;
  detail: TaskDetailView | null;
  /** Its workspace's diff stat (null without a workspace). */
  diff: DiffState | null;
  /** The subtask the cursor is on (x toggles it). */
  subtaskIndex: number;
  width: number;
  height: number;
}

const line = (key: string, content: ReactNode, color?: string) => (
  <Text key={key} wrap="truncate-end" color={color}>
    {content}
  </Text>
);

const heading = (key: string, title: string, extra = '') =>
  line(
    key,
    <>
      <Text bold>{title}</Text>
      <Text dimColor>{extra}</Text>
    </>,
  );

function refLines(key: string, title: string, refs: readonly TaskRefView[]): ReactNode[] {
  if (refs.length === 0) return [];
  return [
    heading(key, title, ` (${refs.length})`),
    ...refs.map((r) =>
      line(
        `${key}-${r.id}`,
        <>
          {'  '}
          {r.id} <Text color={statusColor(r.status)}>{r.status.padEnd(11)}</Text> {r.title}
        </>,
      ),
    ),
  ];
}

/** At most this many changed files are listed; the heading has the totals of all. */
export const DIFF_FILES_SHOWN = 8;

/**
 * The task's changes (`task diff --stat`): the totals and workspace in the heading, then a line per
 * file with its +/- counts; or why there is no workspace.
 */
function changeLines(detail: TaskDetailView, diff: DiffState | null, width: number): ReactNode[] {
  const missing = missingWorkspace(detail);
  // A server that does not say where workers run: nothing to show.
  if (missing && !detail.isolation) return [];
  if (missing)
    return missing.isolation === 'none'
      ? [
          heading('changes', 'Changes', ' no workspace (isolation: none)'),
          line('why', <Text dimColor>{`  ${missing.reason}: workers run in the project directory`}</Text>),
        ]
      : [
          heading('changes', 'Changes', ' no workspace yet'),
          line('why', <Text dimColor>{`  ${missing.reason}`}</Text>),
        ];
  const workspace = detail.workspace!;
  const result = diff?.result ?? null;
  const lines: ReactNode[] = [
    line(
      'changes',
      <>
        <Text bold>Changes</Text>
        {result ? (
          <>
            {' '}
            {result.totals.files} {result.totals.files === 1 ? 'file' : 'files'}{' '}
            <Text color="green">+{result.totals.additions}</Text>{' '}
            <Text color="red">−{result.totals.deletions}</Text>
          </>
        ) : null}
      </>,
    ),
    line(
      'workspace',
      <Text dimColor>
        {'  '}workspace {workspace.status.replace('_', ' ')} · {workspace.branch} → {workspace.baseBranch}
      </Text>,
    ),
  ];
  if (diff?.error) lines.push(line('diff-error', `  ${diff.error}`, 'red'));
  if (!result) {
    if (!diff?.error) lines.push(line('diff-loading', <Text dimColor>{'  '}loading the diff…</Text>));
    return lines;
  }
  if (result.files.length === 0) {
    lines.push(line('diff-none', <Text dimColor>{`  no changes against ${result.base} yet`}</Text>));
    return lines;
  }
  const shown = result.files.slice(0, DIFF_FILES_SHOWN);
  const names = shown.map((f) => (f.oldPath && f.oldPath !== f.path ? `${f.oldPath} → ${f.path}` : f.path));
  // The counts line up after the names, as far as the width allows.
  const pad = Math.min(Math.max(...names.map((n) => n.length)), Math.max(10, width - 20));
  shown.forEach((f, i) => {
    const mark = DIFF_MARK[f.status] ?? { mark: '?', color: 'gray' as const };
    lines.push(
      line(
        `diff-${f.path}`,
        <>
          {'  '}
          <Text color={mark.color}>{mark.mark}</Text> {names[i]!.padEnd(pad)}{' '}
          {f.binary ? (
            <Text dimColor>binary</Text>
          ) : (
            <>
              <Text color="green">+{f.additions}</Text> <Text color="red">−{f.deletions}</Text>
            </>
          )}
        </>,
      ),
    );
  });
  const more = result.totals.files - shown.length;
  if (more > 0)
    lines.push(
      line(
        'diff-more',
        <Text dimColor>{`  … ${more} more (maestro task diff ${detail.task.id} --stat)`}</Text>,
      ),
    );
  return lines;
}

/**
 * One task: its state and claim, subtasks, dependencies with their states, and timeline. Each part
 * is cut to the room it has; the timeline shows its newest entries.
 */
export function TaskDetail({ task: boardTask, detail, diff, subtaskIndex, width, height }: TaskDetailProps) {
  const task = detail?.task ?? boardTask;
  if (!task) return <Text dimColor>Loading…</Text>;
  const p = priorityMark(task.priority);
  const head: ReactNode[] = [
    line(
      'title',
      <>
        <Text bold>{task.id}</Text> <Text bold>{task.title}</Text>
      </>,
    ),
    line(
      'state',
      <>
        <Text color={statusColor(task.status)} bold>
          {STATUS_LABEL[task.status] ?? task.status}
        </Text>
        {'  '}priority <Text color={p.color}>{task.priority}</Text>
        {'  '}claim{' '}
        {task.claim ? (
          <Text color="cyan">
            @{task.claim.holder}
            {task.claim.sessionId ? ` (session ${task.claim.sessionId})` : ''}
            {task.claim.expiresAt ? ` until ${shortTime(task.claim.expiresAt)}` : ''}
          </Text>
        ) : (
          <Text dimColor>-</Text>
        )}
        {task.labels.length ? (
          <>
            {'  '}labels <Text color="magenta">{task.labels.join(', ')}</Text>
          </>
        ) : null}
        {task.parentId ? <>{`  parent ${task.parentId}`}</> : null}
      </>,
    ),
  ];
  if (task.blockedReason) head.push(line('blocked', `blocked: ${task.blockedReason}`, 'red'));
  if (detail?.blockedBy.length)
    head.push(line('waiting', `waiting for ${detail.blockedBy.map((b) => b.id).join(', ')}`, 'red'));
  if (task.description)
    head.push(
      ...task.description
        .split('\n')
        .slice(0, 3)
        .map((l, i) => line(`desc${i}`, <Text dimColor>{l}</Text>)),
    );
  head.push(line('gap', ' '));

  if (!detail)
    return <Box flexDirection="column">{[...head, line('loading', <Text dimColor>Loading…</Text>)]}</Box>;

  const subtasks: ReactNode[] = [
    heading(
      'subtasks',
      'Subtasks',
      ` ${task.subtasksCompleted}/${task.subtasksTotal}  (j/k select · x toggle · a add)`,
    ),
  ];
  if (detail.subtasks.length === 0) subtasks.push(line('nosub', <Text dimColor>{'  '}none</Text>));
  const wide = width >= 100;
  const changes = changeLines(detail, diff, wide ? Math.floor(width / 2) - 2 : width);
  const refs = [
    ...refLines('deps', 'Depends on', detail.dependencies),
    ...refLines('needed', 'Needed by', detail.dependents),
    ...refLines('children', 'Child tasks', detail.children),
    ...changes,
  ];
  const timeline = [
    heading('timeline', 'Timeline'),
    ...detail.timeline.map((e) =>
      line(
        e.id,
        <>
          {'  '}
          <Text dimColor>{shortTime(e.createdAt)}</Text> {e.kind.padEnd(8)}{' '}
          <Text color="cyan">{e.actor}</Text>: {e.message}
        </>,
      ),
    ),
  ];
  const body = Math.max(1, height - head.length);
  const leftRoom = wide ? body : Math.max(3, Math.ceil(body * 0.55));
  // Subtasks get what the references leave, at least three rows, scrolled around the cursor.
  const subtaskRoom = Math.max(2, leftRoom - 1 - Math.min(refs.length, Math.floor(leftRoom / 2)));
  const start = windowStart(subtaskIndex, detail.subtasks.length, subtaskRoom);
  detail.subtasks.slice(start, start + subtaskRoom).forEach((s, i) => {
    const selected = start + i === subtaskIndex;
    subtasks.push(
      <Text key={s.id} wrap="truncate-end" inverse={selected}>
        {selected ? '▸' : ' '}[{s.status === 'completed' ? 'x' : ' '}]{' '}
        <Text dimColor={!selected}>{s.id}</Text> {s.title}
      </Text>,
    );
  });
  const left = [...subtasks, ...refs].slice(0, leftRoom);
  const timelineRoom = wide ? body : Math.max(0, body - left.length);
  const shownTimeline =
    timeline.length <= timelineRoom
      ? timeline
      : timelineRoom <= 1
        ? timeline.slice(0, timelineRoom)
        : [timeline[0], ...timeline.slice(-(timelineRoom - 1))];
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {head}
      {wide ? (
        <Box>
          <Box flexDirection="column" width={Math.floor(width / 2)} paddingRight={2}>
            {left}
          </Box>
          <Box flexDirection="column" width={width - Math.floor(width / 2)}>
            {shownTimeline}
          </Box>
        </Box>
      ) : (
        <>
          {left}
          {shownTimeline}
        </>
      )}
    </Box>
  );
}
