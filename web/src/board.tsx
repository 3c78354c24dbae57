import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import {
  matchesFilter,
  planMove,
  readiness,
  type BoardFilter,
  type Readiness,
} from '../../src/client/board-queries.js';
import { TASK_STATUSES, type TaskView } from './wire-types.js';
import { PRIORITY_RANK, statusLabel } from './format.js';
import { useBoard, useStore } from './store-context.js';

const byPriorityThenAge = (a: TaskView, b: TaskView) =>
  (PRIORITY_RANK[a.priority] ?? 9) - (PRIORITY_RANK[b.priority] ?? 9) ||
  a.createdAt.localeCompare(b.createdAt);

/** The task being dragged (drag data cannot be read while hovering, only on drop). */
let dragging: string | null = null;

/** A card's height before it is measured, and the space between cards. */
const CARD_ESTIMATE = 92;
const CARD_GAP = 8;
/** Cards mounted above and below what a column shows, so that a short scroll finds them there. */
const OVERSCAN = 8;

/** Moves keyboard focus to the card at a column and row (clamped), mounting it if it is not. */
type FocusCard = (column: number, row: number) => boolean;

/** What the board asks of a column: how many cards it has, and to focus one (scrolled into view). */
interface ColumnHandle {
  count: number;
  focus(row: number): void;
}

function onCardKey(event: KeyboardEvent<HTMLElement>, open: () => void, focusCard: FocusCard): void {
  const col = Number(event.currentTarget.dataset.col);
  const row = Number(event.currentTarget.dataset.row);
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    open();
    return;
  }
  const step = (dc: number): boolean => {
    // Skips columns with no cards.
    for (let c = col + dc; c >= 0 && c < TASK_STATUSES.length; c += dc) if (focusCard(c, row)) return true;
    return false;
  };
  let moved = false;
  if (event.key === 'ArrowDown' || event.key === 'j') moved = focusCard(col, row + 1);
  else if (event.key === 'ArrowUp' || event.key === 'k') moved = focusCard(col, row - 1);
  else if (event.key === 'ArrowRight' || event.key === 'l') moved = step(1);
  else if (event.key === 'ArrowLeft' || event.key === 'h') moved = step(-1);
  if (moved) event.preventDefault();
}

function ReadyBadge({ ready }: { ready: Readiness }) {
  if (ready.state === 'ready')
    return (
      <span className="ready-badge ready" data-testid="card-ready" title="All its dependencies are completed">
        ready
      </span>
    );
  if (ready.state === 'waiting')
    return (
      <span className="ready-badge waiting" data-testid="card-waiting" title="Dependencies not completed yet">
        waits for {ready.waitingOn.join(', ')}
      </span>
    );
  return null;
}

function TaskCard({
  task,
  selected,
  ready,
  column,
  row,
  pending,
  focusCard,
  onActive,
}: {
  task: TaskView;
  selected: boolean;
  ready: Readiness;
  column: number;
  row: number;
  pending: boolean;
  focusCard: FocusCard;
  /** The card has focus or is dragged: its column keeps it mounted while it scrolls away. */
  onActive: (id: string | null) => void;
}) {
  const store = useStore();
  const open = () => store.openTask(task.id);
  return (
    <article
      className={`card${selected ? ' selected' : ''}${pending ? ' pending-change' : ''}`}
      data-testid={`task-card-${task.id}`}
      data-status={task.status}
      data-ready={ready.state}
      data-col={column}
      data-row={row}
      role="button"
      tabIndex={0}
      draggable
      onFocus={() => onActive(task.id)}
      onBlur={() => onActive(null)}
      onDragStart={(e) => {
        onActive(task.id);
        dragging = task.id;
        e.dataTransfer.setData('text/plain', task.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragEnd={() => {
        dragging = null;
        onActive(null);
      }}
      onClick={open}
      onKeyDown={(e) => onCardKey(e, open, focusCard)}
    >
      <div className="card-top">
        <span className="task-id">{task.id}</span>
        <ReadyBadge ready={ready} />
        <span className={`priority priority-${task.priority}`} data-testid="card-priority">
          {task.priority}
        </span>
      </div>
      <div className="card-title">{task.title}</div>
      {task.claim ? (
        <div className="card-meta" data-testid="card-claim" title={`Claimed by ${task.claim.holder}`}>
          held by <strong>{task.claim.holder}</strong>
        </div>
      ) : null}
      {task.blockedReason ? (
        <div className="card-blocked" data-testid="card-blocked-reason">
          {task.blockedReason}
        </div>
      ) : null}
      {task.subtasksTotal > 0 || task.dependsOn.length > 0 || task.labels.length > 0 ? (
        <div className="card-foot">
          {task.subtasksTotal > 0 ? (
            <span title="Subtasks done">
              {task.subtasksCompleted}/{task.subtasksTotal} subtasks
            </span>
          ) : null}
          {task.dependsOn.length > 0 ? (
            <span title={`Depends on ${task.dependsOn.join(', ')}`}>
              {task.dependsOn.length} dependenc{task.dependsOn.length === 1 ? 'y' : 'ies'}
            </span>
          ) : null}
          {task.labels.map((label) => (
            <span key={label} className="label">
              {label}
            </span>
          ))}
        </div>
      ) : null}
    </article>
  );
}

/** What the board shows before anything exists: what to do first. */
function EmptyBoard({ project }: { project: string }) {
  return (
    <div className="empty-board" data-testid="empty-board">
      <h2>No tasks in {project} yet</h2>
      <p>Start by writing down the work:</p>
      <ol>
        <li>
          add a task with the form above (or from a terminal:{' '}
          <code>maestro task create &quot;Title&quot;</code>);
        </li>
        <li>give tasks dependencies in their detail panel, so that work waits for what it needs;</li>
        <li>
          spawn an agent on a ready task from its detail panel (or <code>maestro session spawn TASK</code>).
        </li>
      </ol>
    </div>
  );
}

/**
 * A column's cards, virtualized: only those in (and near) its scrolled viewport are mounted, so a
 * column of 50,000 tasks costs what one screenful does. The card that has focus (or is dragged)
 * stays mounted while it scrolls away; arrow keys reach cards that are not mounted through
 * `focus`, which scrolls to the row first.
 */
function ColumnCards({
  cards,
  column,
  register,
  focusCard,
}: {
  cards: readonly TaskView[];
  column: number;
  register: (column: number, handle: ColumnHandle | null) => void;
  focusCard: FocusCard;
}) {
  const store = useStore();
  const { tasks, openTaskId, loaded } = useBoard();
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<string | null>(null);
  const activeRow = useMemo(
    () => (active === null ? -1 : cards.findIndex((t) => t.id === active)),
    [cards, active],
  );
  const rangeExtractor = useCallback(
    (range: Range) => {
      const rows = defaultRangeExtractor(range);
      if (activeRow < 0 || rows.includes(activeRow)) return rows;
      return [...rows, activeRow].sort((a, b) => a - b);
    },
    [activeRow],
  );
  // Stable while the column's cards are: a new one makes the virtualizer measure every row again.
  const getItemKey = useCallback((i: number) => cards[i]?.id ?? i, [cards]);
  const virtualizer = useVirtualizer({
    count: cards.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => CARD_ESTIMATE,
    getItemKey,
    gap: CARD_GAP,
    overscan: OVERSCAN,
    rangeExtractor,
    // The first render mounts a screenful before the column has been measured.
    initialRect: { width: 240, height: 900 },
  });

  const count = cards.length;
  useEffect(() => {
    let frame = 0;
    register(column, {
      count,
      focus: (row) => {
        cancelAnimationFrame(frame);
        virtualizer.scrollToIndex(row, { align: 'auto' });
        // Mounted once the scroll has been rendered: a few frames at most.
        let tries = 0;
        const attempt = () => {
          const card = scroller.current?.querySelector<HTMLElement>(`[data-row="${row}"]`);
          if (card) {
            card.focus({ preventScroll: true });
            card.scrollIntoView({ block: 'nearest' });
          } else if (++tries < 30) frame = requestAnimationFrame(attempt);
        };
        attempt();
      },
    });
    return () => {
      cancelAnimationFrame(frame);
      register(column, null);
    };
  }, [register, column, count, virtualizer]);

  const items = virtualizer.getVirtualItems();
  return (
    <div className="cards" ref={scroller} data-testid={`cards-${TASK_STATUSES[column]}`}>
      {count > 0 ? (
        <div className="cards-inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const task = cards[item.index]!;
            return (
              <div
                key={item.key}
                className="card-slot"
                data-index={item.index}
                ref={virtualizer.measureElement}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <TaskCard
                  task={task}
                  selected={task.id === openTaskId}
                  ready={readiness(task, tasks)}
                  column={column}
                  row={item.index}
                  pending={store.isPending(task.id)}
                  focusCard={focusCard}
                  onActive={setActive}
                />
              </div>
            );
          })}
        </div>
      ) : loaded ? (
        <p className="empty">No tasks</p>
      ) : null}
    </div>
  );
}

export function Board({ filter }: { filter: BoardFilter }) {
  const store = useStore();
  const { tasks, loaded, project } = useBoard();
  const [over, setOver] = useState<string | null>(null);
  const handles = useRef(new Map<number, ColumnHandle>());
  const register = useCallback((column: number, handle: ColumnHandle | null) => {
    if (handle) handles.current.set(column, handle);
    else handles.current.delete(column);
  }, []);
  const focusCard = useCallback<FocusCard>((column, row) => {
    const handle = handles.current.get(column);
    if (!handle || handle.count === 0) return false;
    handle.focus(Math.max(0, Math.min(row, handle.count - 1)));
    return true;
  }, []);
  // Each column's cards in order, from every task the filter keeps (mounted or not).
  const columns = useMemo(() => {
    const by = new Map<string, TaskView[]>(TASK_STATUSES.map((s) => [s, []]));
    for (const t of tasks.values()) if (matchesFilter(t, filter)) by.get(t.status)?.push(t);
    for (const list of by.values()) list.sort(byPriorityThenAge);
    return by;
  }, [tasks, filter]);
  if (loaded && tasks.size === 0) return <EmptyBoard project={project?.name ?? 'this project'} />;

  const drop = (event: DragEvent, status: string) => {
    event.preventDefault();
    setOver(null);
    const id = dragging ?? event.dataTransfer.getData('text/plain');
    dragging = null;
    const task = id ? tasks.get(id) : undefined;
    if (!task || task.status === status) return;
    const move = planMove(task, status, tasks);
    if (!move.ok) {
      store.notify(
        'error',
        move.reason,
        move.waitingOn ? 'Complete those first, or remove the dependency.' : undefined,
      );
      return;
    }
    const extra: Record<string, unknown> = {};
    if (move.op === 'task.block') {
      const reason = window.prompt(`Why is ${task.id} blocked?`)?.trim();
      if (!reason) return;
      extra.reason = reason;
    }
    store.inBackground(move.op, () => store.drop(move.op, task.id, extra, status));
  };

  return (
    <div className="board" data-testid="board" aria-busy={!loaded}>
      {TASK_STATUSES.map((status, column) => {
        const cards = columns.get(status) ?? [];
        return (
          <section
            key={status}
            className={`column column-${status}${over === status ? ' drop-over' : ''}`}
            data-testid={`column-${status}`}
            onDragOver={(e) => {
              e.preventDefault();
              if (over !== status) setOver(status);
            }}
            onDragLeave={() => setOver((o) => (o === status ? null : o))}
            onDrop={(e) => drop(e, status)}
          >
            <header>
              <h2>{statusLabel(status)}</h2>
              <span
                className="count"
                data-testid={`count-${status}`}
                title={`${cards.length} task${cards.length === 1 ? '' : 's'} in this column`}
              >
                {cards.length.toLocaleString('en-US')}
              </span>
            </header>
            <ColumnCards cards={cards} column={column} register={register} focusCard={focusCard} />
          </section>
        );
      })}
    </div>
  );
}
