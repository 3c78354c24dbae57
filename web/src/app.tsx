import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import {
  hasWorkspaces,
  matchesFilter,
  NO_BOARD_FILTER,
  type BoardFilter,
} from '../../src/client/board-queries.js';
import { Alerts } from './alerts.js';
import { AutopilotControl } from './autopilot-control.js';
import { Board } from './board.js';
import { BoardFilters } from './board-filters.js';
import { ConnectionBadge } from './connection-badge.js';
import { MergeQueue } from './merge-queue.js';
import { NewTaskForm } from './new-task-form.js';
import { ProjectSwitcher } from './project-switcher.js';
import { SessionsPanel } from './sessions-panel.js';
import { SignIn } from './sign-in.js';
import { TaskDetail } from './task-detail.js';
import { Toasts } from './toasts.js';
import { useBoard, useStore } from './store-context.js';

// The graph (React Flow and ELK) loads when first shown, so the board's first render does not wait for it.
const GraphView = lazy(() => import('./graph-view.js'));

type View = 'board' | 'graph' | 'queue';

const VIEW_LABELS: Record<View, string> = { board: 'Board', graph: 'Dependency graph', queue: 'Merge queue' };

/** The view in the URL (`?view=graph`, `?view=queue`), so a link opens it. */
function useView(): [View, (v: View) => void] {
  const [view, setView] = useState<View>(() => {
    const named = new URLSearchParams(location.search).get('view');
    return named === 'graph' || named === 'queue' ? named : 'board';
  });
  const change = (v: View) => {
    const url = new URL(location.href);
    if (v === 'board') url.searchParams.delete('view');
    else url.searchParams.set('view', v);
    history.replaceState(history.state, '', url);
    setView(v);
  };
  return [view, change];
}

/** Page-wide keys: Escape closes the detail panel, `/` goes to the search. */
function useGlobalKeys(): void {
  const store = useStore();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = !!target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
      if (event.key === 'Escape' && store.getSnapshot().openTaskId) {
        // In a field of the panel, Escape first leaves the field.
        if (typing) target.blur();
        else store.closeTask();
      } else if (event.key === '/' && !typing) {
        const search = document.querySelector<HTMLInputElement>('[data-testid="filter-text"]');
        if (search) {
          event.preventDefault();
          search.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}

export function App() {
  const { project, loaded, openTaskId, signedOut, tasks } = useBoard();
  const [filter, setFilter] = useState<BoardFilter>(NO_BOARD_FILTER);
  const [view, setView] = useView();
  useGlobalKeys();
  const shown = useMemo(() => {
    let n = 0;
    for (const t of tasks.values()) if (matchesFilter(t, filter)) n++;
    return n;
  }, [tasks, filter]);
  if (signedOut) return <SignIn />;
  const views: View[] = hasWorkspaces(project) ? ['board', 'graph', 'queue'] : ['board', 'graph'];
  const shownView = views.includes(view) ? view : 'board';
  return (
    <div className={`app${openTaskId ? ' with-detail' : ''}`}>
      <header className="topbar">
        <h1>Maestro</h1>
        <span className="project" data-testid="project-name">
          {project ? project.name : loaded ? '' : 'loading…'}
        </span>
        <ProjectSwitcher />
        <AutopilotControl />
        <Alerts />
        <ConnectionBadge />
      </header>
      <main className="layout">
        <div className="board-area">
          <NewTaskForm />
          <nav className="views" aria-label="View">
            {views.map((v) => (
              <button
                key={v}
                type="button"
                className={`chip${shownView === v ? ' on' : ''}`}
                aria-pressed={shownView === v}
                data-testid={`view-${v}`}
                onClick={() => setView(v)}
              >
                {VIEW_LABELS[v]}
              </button>
            ))}
          </nav>
          {shownView === 'graph' ? (
            <Suspense fallback={<p className="muted">Loading the graph…</p>}>
              <GraphView />
            </Suspense>
          ) : shownView === 'queue' ? (
            <MergeQueue />
          ) : (
            <>
              {tasks.size > 0 ? (
                <BoardFilters filter={filter} onChange={setFilter} shown={shown} total={tasks.size} />
              ) : null}
              <Board filter={filter} />
            </>
          )}
        </div>
        <SessionsPanel />
      </main>
      <TaskDetail />
      <Toasts />
    </div>
  );
}
