import type { WireEvent } from '../../src/contract/views.js';
import { CliError } from '../errors.js';
import type { Command, CommandContext } from '../registry.js';

const eventJson = (e: WireEvent) => ({
  seq: e.seq,
  type: e.type,
  entityType: e.entityType,
  entityId: e.entityId,
  projectId: e.projectId,
  data: JSON.parse(e.dataJson) as unknown,
  createdAt: e.createdAt,
});
const eventLine = (e: WireEvent) =>
  `${String(e.seq).padStart(6)}  ${e.createdAt.slice(11, 19)}  ${e.type.padEnd(22)} ${e.entityId}`;

export const EVENTS_COMMAND: Command = {
  path: ['events'],
  summary:
    'Print a page of the event log from a seq (one JSON event per line with --json); --all every page, --follow keeps streaming.',
  flags: {
    since: {
      type: 'string',
      value: 'SEQ',
      arg: 'sinceSeq',
      describe: 'Print events after this seq (default 0).',
    },
    follow: { type: 'boolean', describe: 'Keep streaming new events until interrupted.' },
    limit: {
      type: 'string',
      value: 'N',
      describe: 'At most N events per page, 1 to 10000 (without --follow; default 1000).',
    },
    cursor: {
      type: 'string',
      value: 'TOKEN',
      arg: 'pageToken',
      describe: 'Start at this page: the nextCursor printed after the page before (instead of --since).',
    },
    all: { type: 'boolean', describe: 'Every page up to the newest event, one after another.' },
  },
  operation: 'events.list',
  examples: [
    'maestro events --since 120 --json',
    'maestro events --cursor <nextCursor> --json',
    'maestro events --all --json',
    'maestro events --follow --json',
  ],
  async run(ctx) {
    const since = ctx.int('since') ?? 0;
    const print = (e: WireEvent) => ctx.writeLine(ctx.json ? JSON.stringify(eventJson(e)) : eventLine(e));
    if (!ctx.has('follow')) {
      let pageToken = ctx.flag('cursor');
      for (;;) {
        const page = await ctx.op('events.list', { sinceSeq: since, limit: ctx.int('limit'), pageToken });
        for (const e of page.events) print(e);
        if (!page.nextPageToken) break;
        if (!ctx.has('all')) {
          // A full page: more may follow. The last line says where the next page starts.
          ctx.writeLine(
            ctx.json
              ? JSON.stringify({ nextCursor: page.nextPageToken })
              : `(more: maestro events --cursor ${page.nextPageToken})`,
          );
          break;
        }
        pageToken = page.nextPageToken;
      }
      return { data: null, streamed: true };
    }
    await follow(ctx, since, print);
    return { data: null, streamed: true };
  },
};

/** Unwritten output past which `events --follow` stops reading the stream until stdout drains. */
const STDOUT_BACKLOG = 1024 * 1024;

/**
 * `events --follow`: watch from `since` and print each event once, in order, resuming by itself
 * after the last event printed when the stream is cut off for reading too slowly (`too_slow`) and
 * when stdout is not being read (a pipe whose reader stalls): then it stops the watch rather than
 * hold the events in memory, and starts it again once stdout drains. It ends on Ctrl-C, SIGTERM,
 * or when the server ends the stream (a shutdown); any other failure is the command's error.
 */
async function follow(ctx: CommandContext, since: number, print: (e: WireEvent) => void): Promise<void> {
  let last = since;
  let stopped = false;
  let current = { cancel: () => undefined as void };
  const stop = () => {
    stopped = true;
    current.cancel();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Human notes go to stderr in either mode: stdout holds only the events.
  const note = (text: string) => void process.stderr.write(`${text}\n`);
  try {
    while (!stopped) {
      let backlogged = false;
      // A cancelled stream's `done` never settles; this one does.
      let cancelled = () => undefined as void;
      const gone = new Promise<void>((resolve) => (cancelled = resolve));
      const watch = ctx.client().watch(last, (raw) => {
        const e = raw as unknown as WireEvent;
        if (e.seq <= last || backlogged) return;
        print(e);
        last = e.seq;
        if (process.stdout.writableLength > STDOUT_BACKLOG) {
          backlogged = true;
          current.cancel();
        }
      });
      current = {
        cancel: () => {
          watch.cancel();
          cancelled();
        },
      };
      try {
        await Promise.race([watch.done, gone]);
      } catch (error) {
        if (!(error instanceof CliError) || error.body.code !== 'too_slow' || stopped) throw error;
        note(`events: the server cut the stream off (reading too slowly); resuming after seq ${last}.`);
        continue;
      }
      if (!backlogged) return;
      note(`events: stdout is not being read; waiting for it to drain, then resuming after seq ${last}.`);
      await new Promise<void>((resolve) => {
        if (!process.stdout.writableNeedDrain) return resolve();
        const done = () => {
          process.stdout.off('drain', done);
          process.off('SIGINT', done);
          process.off('SIGTERM', done);
          resolve();
        };
        process.stdout.once('drain', done);
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
