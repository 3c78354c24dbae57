import { Box, Text } from 'ink';
import { SESSION_FINAL, type SessionView } from './wire-types.js';
import { statusColor } from './theme.js';
import { lastLines, windowStart } from './view-model.js';

export interface SessionsPaneProps {
  /** In display order (sortSessions). */
  sessions: readonly SessionView[];
  logs: ReadonlyMap<string, string>;
  selectedId: string | null;
  focused: boolean;
  width: number;
  height: number;
}

function SessionHead({ session, selected }: { session: SessionView; selected: boolean }) {
  return (
    <Text wrap="truncate-end" inverse={selected}>
      <Text color={statusColor(session.status)}>{SESSION_FINAL.has(session.status) ? '○' : '●'}</Text>{' '}
      <Text bold>{session.id}</Text> {session.name}{' '}
      <Text color={statusColor(session.status)}>{session.status}</Text>
      {session.taskIds.length ? <Text dimColor> {session.taskIds.join(',')}</Text> : null}
      {session.failureReason ? <Text color="red"> {session.failureReason}</Text> : null}
    </Text>
  );
}

/**
 * The project's agent sessions: each one's status and the last lines of its terminal output,
 * live ones first. The space is shared out so that every shown session gets at least its status
 * line and one line of output.
 */
export function SessionsPane({ sessions, logs, selectedId, focused, width, height }: SessionsPaneProps) {
  const live = sessions.filter((s) => !SESSION_FINAL.has(s.status)).length;
  const title = (
    <Text wrap="truncate-end" bold color={focused ? 'cyan' : undefined}>
      {focused ? '▸' : ' '}SESSIONS{' '}
      <Text dimColor>
        {live} live · {sessions.length} in all
      </Text>
      {focused ? <Text dimColor> (↑↓ select · ⏎ output · tab board)</Text> : null}
    </Text>
  );
  if (sessions.length === 0) {
    return (
      <Box flexDirection="column" width={width} height={height} overflow="hidden">
        {title}
        <Text dimColor wrap="truncate-end">
          {'  '}No agent sessions. Press S to spawn one for the selected task.
        </Text>
      </Box>
    );
  }
  const room = Math.max(1, height - 1);
  const per = Math.max(2, Math.floor(room / sessions.length));
  const fit = Math.max(1, Math.floor(room / per));
  const selected = Math.max(
    0,
    sessions.findIndex((s) => s.id === selectedId),
  );
  const start = windowStart(selected, sessions.length, fit);
  const outputLines = Math.min(per - 1, 8);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {title}
      {sessions.slice(start, start + fit).map((session) => {
        const lines = lastLines(logs.get(session.id) ?? '', outputLines);
        return (
          <Box key={session.id} flexDirection="column" height={per} overflow="hidden">
            <SessionHead session={session} selected={focused && session.id === selectedId} />
            {lines.length === 0 ? (
              <Text dimColor wrap="truncate-end">
                {'  '}(no output yet)
              </Text>
            ) : (
              lines.map((line, i) => (
                <Text key={i} dimColor wrap="truncate-end">
                  {'  '}
                  {line}
                </Text>
              ))
            )}
          </Box>
        );
      })}
    </Box>
  );
}

/** One session's output, as much as fits, following it live. */
export function SessionLog({
  session,
  text,
  width,
  height,
}: {
  session: SessionView;
  text: string;
  width: number;
  height: number;
}) {
  const lines = lastLines(text, height - 1);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <SessionHead session={session} selected={false} />
      {lines.length === 0 ? <Text dimColor>{'  '}(no output yet)</Text> : null}
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
