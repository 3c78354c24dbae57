import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { TASK_STATUSES, type TaskView } from './wire-types.js';
import { STATUS_LABEL, priorityMark, statusColor } from './theme.js';
import { isHiddenColumn, windowStart, type Cursor, type Groups, type Layout } from './view-model.js';

export interface BoardProps {
  groups: Groups;
  /** Resolved: it names a shown task or an empty column. */
  cursor: Cursor;
  layout: Layout;
  width: number;
  height: number;
  /** Whether the keys move this cursor (the sessions pane may have the focus). */
  focused: boolean;
  /** Shown when nothing matches: no tasks at all, or none for the filter. */
  empty: string;
}

/** The second line of a card: what holds or stops the task. */
function taskNotes(task: TaskView): ReactNode[] {
  const notes: ReactNode[] = [];
  if (task.blockedReason)
    notes.push(
      <Text key="b" color="red">
        ⚠ {task.blockedReason}
      </Text>,
    );
  if (task.claim)
    notes.push(
      <Text key="c" color="cyan">
        @{task.claim.holder}
      </Text>,
    );
  if (task.subtasksTotal)
    notes.push(
      <Text key="s" dimColor>
        {task.subtasksCompleted}/{task.subtasksTotal}
      </Text>,
    );
  if (task.labels.length)
    notes.push(
      <Text key="l" color="magenta">
        {task.labels.map((l) => `#${l}`).join(' ')}
      </Text>,
    );
  return notes;
}

/** How wide the notes are as plain text (what taskNotes draws, with one space between). */
function notesLength(task: TaskView): number {
  const parts = [
    task.blockedReason ? `⚠ ${task.blockedReason}` : '',
    task.claim ? `@${task.claim.holder}` : '',
    task.subtasksTotal ? `${task.subtasksCompleted}/${task.subtasksTotal}` : '',
    task.labels.map((l) => `#${l}`).join(' '),
  ].filter(Boolean);
  return parts.join(' ').length;
}

function join(nodes: ReactNode[]): ReactNode[] {
  return nodes.flatMap((n, i) => (i === 0 ? [n] : [<Text key={`sep${i}`}> </Text>, n]));
}

function Card({ task, selected, width }: { task: TaskView; selected: boolean; width: number }) {
  const p = priorityMark(task.priority);
  return (
    <Box flexDirection="column" width={width} height={2}>
      <Text wrap="truncate-end" inverse={selected}>
        <Text color={p.color} bold>
          {p.mark}
        </Text>{' '}
        {task.title}
      </Text>
      <Text wrap="truncate-end" inverse={selected}>
        {'  '}
        <Text dimColor>{task.id}</Text> {join(taskNotes(task))}
      </Text>
    </Box>
  );
}

function Column(props: {
  status: string;
  tasks: readonly TaskView[];
  selectedRow: number | null;
  active: boolean;
  width: number;
  height: number;
}) {
  const { status, tasks, selectedRow, active, width, height } = props;
  const visible = Math.max(0, Math.floor((height - 1) / 2));
  const start = windowStart(selectedRow ?? 0, tasks.length, visible);
  const shown = tasks.slice(start, start + visible);
  const above = start;
  const below = tasks.length - start - shown.length;
  return (
    <Box flexDirection="column" width={width} height={height} paddingRight={1} overflow="hidden">
      <Text wrap="truncate-end">
        <Text color={statusColor(status)} bold inverse={active}>
          {active ? '▸' : ' '}
          {STATUS_LABEL[status]} {tasks.length}
        </Text>
        {above ? <Text dimColor> ↑{above}</Text> : null}
        {below ? <Text dimColor> ↓{below}</Text> : null}
      </Text>
      {shown.map((task, i) => (
        <Card key={task.id} task={task} selected={selectedRow === start + i} width={width - 1} />
      ))}
    </Box>
  );
}

type Row =
  { kind: 'section'; status: string; count: number } | { kind: 'task'; task: TaskView; selected: boolean };

function ListRow({ row, width }: { row: Row; width: number }) {
  if (row.kind === 'section') {
    const label = `── ${STATUS_LABEL[row.status]} (${row.count}) `;
    return (
      <Text wrap="truncate-end" color={statusColor(row.status)} bold>
        {label}
        {'─'.repeat(Math.max(0, width - label.length))}
      </Text>
    );
  }
  const { task, selected } = row;
  const p = priorityMark(task.priority);
  const notes = taskNotes(task);
  return (
    <Box width={width}>
      <Box flexShrink={0}>
        <Text inverse={selected}>
          {selected ? '▸' : ' '}
          <Text color={p.color} bold>
            {p.mark}
          </Text>{' '}
          <Text dimColor={!selected}>{task.id.padEnd(6)}</Text>{' '}
        </Text>
      </Box>
      <Box flexGrow={1} flexShrink={1} minWidth={10}>
        <Text wrap="truncate-end" inverse={selected}>
          {task.title}
        </Text>
      </Box>
      {notes.length ? (
        <Box flexShrink={0} width={Math.min(notesLength(task), Math.floor(width * 0.45))} marginLeft={1}>
          <Text wrap="truncate-end">{join(notes)}</Text>
        </Box>
      ) : null}
    </Box>
  );
}

/**
 * The tasks by status: one column per status on wide terminals, one list with a section per
 * status on narrow ones. Only the rows that fit are drawn, around the cursor.
 */
export function Board({ groups, cursor, layout, width, height, focused, empty }: BoardProps) {
  const total = groups.reduce((n, g) => n + g.length, 0);
  if (layout === 'columns') {
    const shown = TASK_STATUSES.map((status, column) => ({ status, column })).filter(
      ({ column }) => !isHiddenColumn(groups, column) || cursor.column === column,
    );
    const columnWidth = Math.max(12, Math.floor(width / shown.length));
    return (
      <Box width={width} height={height} flexDirection="column">
        <Box height={total === 0 ? height - 1 : height}>
          {shown.map(({ status, column }) => (
            <Column
              key={status}
              status={status}
              tasks={groups[column]!}
              selectedRow={cursor.column === column && cursor.taskId ? cursor.row : null}
              active={focused && cursor.column === column}
              width={columnWidth}
              height={total === 0 ? height - 1 : height}
            />
          ))}
        </Box>
        {total === 0 ? <Text dimColor>{empty}</Text> : null}
      </Box>
    );
  }
  if (total === 0) {
    return (
      <Box width={width} height={height}>
        <Text dimColor>{empty}</Text>
      </Box>
    );
  }
  const rows: Row[] = [];
  let selectedIndex = 0;
  groups.forEach((tasks, column) => {
    if (tasks.length === 0) return;
    rows.push({ kind: 'section', status: TASK_STATUSES[column]!, count: tasks.length });
    tasks.forEach((task, row) => {
      const selected = focused && cursor.column === column && cursor.row === row;
      if (cursor.column === column && cursor.row === row) selectedIndex = rows.length;
      rows.push({ kind: 'task', task, selected });
    });
  });
  const start = windowStart(selectedIndex, rows.length, height);
  return (
    <Box width={width} height={height} flexDirection="column" overflow="hidden">
      {rows.slice(start, start + height).map((row) => (
        <ListRow key={row.kind === 'task' ? row.task.id : row.status} row={row} width={width} />
      ))}
    </Box>
  );
}
