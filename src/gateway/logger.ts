import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';

export type Fields = Record<string, unknown>;

/**
 * Structured logs, one JSON object a line, to stderr or a file: never mixed into stdout, which
 * belongs to `--json` output.
 */
export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** A logger that adds `bindings` (a request id, a connection id) to every line it writes. */
  child(bindings: Fields): Logger;
  /** Writes out lines still buffered for the log file; a no-op on stderr, which is written synchronously. */
  flush(): void;
}

/** The logger a process owns: it also releases its file. */
export interface RootLogger extends Logger {
  /** Flushes, then closes the log file; later lines are dropped. */
  close(): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface LogOutput {
  /** Append to this file (created with its folder) instead of writing to stderr. */
  file?: string;
  /** Write lines here instead (tests). */
  stream?: DestinationStream;
}

/**
 * A pino logger without transports: they run in worker threads that esbuild cannot bundle. Lines
 * go to stderr or to a file synchronously: with asynchronous file writes, a flush while a write was
 * in flight put the flushed lines before the ones in flight (the log's last line was then not
 * "server stopped"), so lines are written in the order they were logged.
 */
export function createLogger(level: LogLevel = 'info', output: LogOutput = {}): RootLogger {
  let flush = (): void => undefined;
  let close = flush;
  let stream: DestinationStream;
  if (output.stream) stream = output.stream;
  else if (output.file) {
    mkdirSync(dirname(output.file), { recursive: true, mode: 0o700 });
    // Opened here, synchronously, so a log file that cannot be written fails the start, not a later
    // line. Private: logs name sessions, projects and paths.
    const file = pino.destination({ dest: openSync(output.file, 'a', 0o600), sync: true });
    let open = true;
    stream = { write: (line) => void (open && file.write(line)) };
    flush = () => void (open && file.flushSync());
    close = () => {
      if (!open) return;
      file.flushSync();
      open = false;
      file.end();
    };
  } else stream = pino.destination({ dest: 2, sync: true });
  const root = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  return { ...wrap(root, flush), close };
}

function wrap(log: Pino, flush: () => void): Logger {
  return {
    debug: (msg, fields) => (fields ? log.debug(fields, msg) : log.debug(msg)),
    info: (msg, fields) => (fields ? log.info(fields, msg) : log.info(msg)),
    warn: (msg, fields) => (fields ? log.warn(fields, msg) : log.warn(msg)),
    error: (msg, fields) => (fields ? log.error(fields, msg) : log.error(msg)),
    child: (bindings) => wrap(log.child(bindings), flush),
    flush,
  };
}
