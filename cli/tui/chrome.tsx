import { Box, Text } from 'ink';
import type { Connection, StatusLine } from './store.js';

/** The connection as the header shows it. */
export function ConnectionBadge({ connection }: { connection: Connection }) {
  switch (connection.state) {
    case 'live':
      return (
        <Text color="green">
          ● live <Text dimColor>#{connection.seq}</Text>
        </Text>
      );
    case 'connecting':
      return (
        <Text color="yellow">
          ◌ connecting{connection.attempt ? ` (attempt ${connection.attempt + 1})` : '…'}
        </Text>
      );
    case 'reconnecting':
      return (
        <Text color="red">
          ○ reconnecting (attempt {connection.attempt + 1}) <Text dimColor>from #{connection.seq}</Text>
        </Text>
      );
  }
}

/** What the header says of the project's autopilot. */
export interface AutopilotBadgeProps {
  enabled: boolean;
  maxWorkers: number;
  /** Live workers of the project (what the cap counts). */
  live: number;
  /** Why it last turned off by itself. */
  reason: string;
}

export function AutopilotBadge({ enabled, maxWorkers, live, reason }: AutopilotBadgeProps) {
  if (enabled)
    return (
      <Text color="green">
        autopilot on {live}/{maxWorkers} workers
      </Text>
    );
  const workers = live === 1 ? '1 worker' : `${live} workers`;
  return (
    <Text dimColor>
      autopilot off{reason ? ` (${reason})` : ''}
      {live ? ` · ${workers} live` : ''}
    </Text>
  );
}

export function Header(props: {
  project: string;
  counts: { shown: number; total: number };
  filterText: string;
  connection: Connection;
  /** The project's autopilot; null when it is not known (yet). */
  autopilot?: AutopilotBadgeProps | null;
  width: number;
}) {
  const { project, counts, filterText, connection, autopilot, width } = props;
  return (
    <Box width={width} height={1}>
      <Box flexGrow={1} flexShrink={1}>
        <Text wrap="truncate-end">
          <Text bold color="cyan">
            maestro
          </Text>
          {project ? <Text bold> {project}</Text> : null}
          <Text dimColor>
            {' '}
            · {counts.shown === counts.total ? counts.total : `${counts.shown}/${counts.total}`} tasks
          </Text>
          {filterText ? <Text color="magenta"> · {filterText}</Text> : null}
          {autopilot ? (
            <>
              <Text dimColor> · </Text>
              <AutopilotBadge {...autopilot} />
            </>
          ) : null}
        </Text>
      </Box>
      <Box flexShrink={0} marginLeft={1}>
        <ConnectionBadge connection={connection} />
      </Box>
    </Box>
  );
}

/** The last action's result, or its error with the CLI's message and hint. */
export function StatusBar({ status, width }: { status: StatusLine | null; width: number }) {
  if (!status) return <Text> </Text>;
  const color = status.kind === 'error' ? 'red' : status.kind === 'success' ? 'green' : 'yellow';
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        <Text color={color}>
          {status.kind === 'error' ? 'error: ' : ''}
          {status.text}
        </Text>
        {status.hint ? <Text dimColor> hint: {status.hint}</Text> : null}
      </Text>
    </Box>
  );
}

export interface PromptState {
  kind: 'new' | 'subtask' | 'block' | 'filter' | 'search';
  label: string;
  value: string;
  taskId?: string;
  /** What Esc restores (the search as it was). */
  previous?: string;
}

export function PromptLine({ prompt, width }: { prompt: PromptState; width: number }) {
  return (
    <Box width={width} height={1}>
      <Box flexGrow={1} flexShrink={1}>
        <Text wrap="truncate-start">
          <Text color="cyan" bold>
            {prompt.label}:
          </Text>{' '}
          {prompt.value}
          <Text inverse> </Text>
        </Text>
      </Box>
      <Box flexShrink={0} marginLeft={1}>
        <Text dimColor>⏎ ok · esc cancel</Text>
      </Box>
    </Box>
  );
}

export type KeyContext = 'board' | 'sessions' | 'detail' | 'logs' | 'help';

const FOOTER: Record<KeyContext, [string, string][]> = {
  board: [
    ['←↓↑→/hjkl', 'move'],
    ['⏎', 'open'],
    ['n', 'new'],
    ['a', 'subtask'],
    ['s', 'start'],
    ['b', 'block'],
    ['u', 'unblock'],
    ['c', 'complete'],
    ['r', 'reopen'],
    ['S', 'spawn'],
    ['A', 'autopilot'],
    ['f', 'filter'],
    ['/', 'search'],
    ['tab', 'sessions'],
    ['?', 'help'],
    ['q', 'quit'],
  ],
  sessions: [
    ['↑↓/jk', 'select'],
    ['⏎', 'output'],
    ['tab/esc', 'board'],
    ['?', 'help'],
    ['q', 'quit'],
  ],
  detail: [
    ['esc', 'back'],
    ['j/k', 'subtask'],
    ['x', 'toggle'],
    ['a', 'add subtask'],
    ['s', 'start'],
    ['b', 'block'],
    ['u', 'unblock'],
    ['c', 'complete'],
    ['r', 'reopen'],
    ['S', 'spawn'],
    ['?', 'help'],
    ['q', 'quit'],
  ],
  logs: [
    ['esc', 'back'],
    ['?', 'help'],
    ['q', 'quit'],
  ],
  help: [
    ['?/esc', 'close'],
    ['q', 'quit'],
  ],
};

/** The footer's key hints packed into lines of `width`; at most two, the rest is in the help. */
export function footerLines(context: KeyContext, width: number): [string, string][][] {
  const lines: [string, string][][] = [[]];
  let used = 0;
  for (const pair of FOOTER[context]) {
    const size = pair[0].length + pair[1].length + 2;
    if (used > 0 && used + size > width + 1) {
      lines.push([]);
      used = 0;
    }
    lines[lines.length - 1]!.push(pair);
    used += size;
  }
  return lines.slice(0, 2);
}

export function Footer({ context, width }: { context: KeyContext; width: number }) {
  return (
    <Box width={width} flexDirection="column">
      {footerLines(context, width).map((pairs, row) => (
        <Text key={row} wrap="truncate-end">
          {pairs.map(([key, what], i) => (
            <Text key={key}>
              {i ? ' ' : ''}
              <Text bold color="cyan">
                {key}
              </Text>{' '}
              <Text dimColor>{what}</Text>
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}

const HELP: [string, [string, string][]][] = [
  [
    'Board',
    [
      ['←↓↑→ hjkl', 'move between tasks and columns (sections)'],
      ['g / G, PgUp / PgDn', 'first / last, a page up / down'],
      ['⏎', 'open the task: subtasks, dependencies, timeline'],
      ['esc', 'back; on the board, clear the search and filter'],
      ['tab', 'switch between the board and the sessions pane'],
      ['f', 'filter: status:pending,blocked priority:high label:ui holder:alice|none'],
      ['/', 'search ids, titles, descriptions and labels (as you type)'],
      ['P', 'switch to the next project'],
      ['A', "turn the project's autopilot on / off (header: on, live/cap)"],
    ],
  ],
  [
    'Actions (the selected or open task)',
    [
      ['n', 'new task (title)'],
      ['a', 'add a subtask'],
      ['s / b / u', 'start / block (asks the reason) / unblock'],
      ['c / r', 'complete / reopen'],
      ['S', 'spawn an agent session for the task'],
      ['x', 'in a task: complete or reopen the selected subtask'],
    ],
  ],
];

export function HelpOverlay({ width, height }: { width: number; height: number }) {
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle="round"
      borderColor="cyan"
      paddingX={1}
      overflow="hidden"
    >
      <Text bold color="cyan">
        Keys <Text dimColor>(? or esc closes)</Text>
      </Text>
      {HELP.map(([title, keys]) => (
        <Box key={title} flexDirection="column">
          <Text bold>{title}</Text>
          {keys.map(([key, what]) => (
            <Text key={key} wrap="truncate-end">
              {'  '}
              <Text color="cyan">{key.padEnd(20)}</Text> {what}
            </Text>
          ))}
        </Box>
      ))}
      <Text wrap="truncate-end">
        <Text color="cyan">R</Text> reconnect now · <Text color="cyan">?</Text> this help ·{' '}
        <Text color="cyan">q</Text>, <Text color="cyan">ctrl-c</Text> quit
      </Text>
      <Text dimColor wrap="truncate-end">
        Each action makes the CLI command&apos;s gRPC call and shows its error and hint below.
      </Text>
    </Box>
  );
}
