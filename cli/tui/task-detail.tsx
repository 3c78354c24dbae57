import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { TaskDetailView, TaskRefView, TaskView } from './wire-types.js';
import { STATUS_LABEL, priorityMark, statusColor } from './theme.js';
import { shortTime, windowStart } from './view-model.js';

export interface TaskDetailProps {
  /** The board's copy of the task, shown while the detail loads. */
  task: TaskView | undefined;
  detail: TaskDetailView | null;
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

/**
 * One task: its state and claim, subtasks, dependencies with their states, and timeline. Each part
 * is cut to the room it has; the timeline shows its newest entries.
 */
export function TaskDetail({ task: boardTask, detail, subtaskIndex, width, height }: TaskDetailProps) {
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
  const refs = [
    ...refLines('deps', 'Depends on', detail.dependencies),
    ...refLines('needed', 'Needed by', detail.dependents),
    ...refLines('children', 'Child tasks', detail.children),
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
  const wide = width >= 100;
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
