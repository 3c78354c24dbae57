import { Board } from './board.js';
import { ConnectionBadge } from './connection-badge.js';
import { NewTaskForm } from './new-task-form.js';
import { SessionsPanel } from './sessions-panel.js';
import { TaskDetail } from './task-detail.js';
import { Toasts } from './toasts.js';
import { useBoard } from './store-context.js';

export function App() {
  const { project, loaded, openTaskId } = useBoard();
  return (
    <div className={`app${openTaskId ? ' with-detail' : ''}`}>
      <header className="topbar">
        <h1>Maestro</h1>
        <span className="project" data-testid="project-name">
          {project ? project.name : loaded ? '' : 'loading…'}
        </span>
        <ConnectionBadge />
      </header>
      <main className="layout">
        <div className="board-area">
          <NewTaskForm />
          <Board />
        </div>
        <SessionsPanel />
      </main>
      <TaskDetail />
      <Toasts />
    </div>
  );
}
