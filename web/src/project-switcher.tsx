import { useState, type FormEvent } from 'react';
import { TASK_STATUSES } from './wire-types.js';
import { statusLabel } from './format.js';
import { useBoard, useStore } from './store-context.js';

/** "3 pending · 1 in progress": a project's tasks per status, statuses with none left out. */
export function countsLabel(counts: Record<string, number> | undefined): string {
  const parts = TASK_STATUSES.filter((s) => (counts?.[s] ?? 0) > 0).map(
    (s) => `${counts![s]} ${statusLabel(s).toLowerCase()}`,
  );
  return parts.length ? parts.join(' · ') : 'no tasks';
}

/** The project switcher (each project with its counts per status) and the form that creates one. */
export function ProjectSwitcher() {
  const store = useStore();
  const { project, projects, projectCounts } = useBoard();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [workingDir, setWorkingDir] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    store.inBackground('project.create', () =>
      store.createProject({ name: name.trim(), workingDir: workingDir.trim() }).then((ok) => {
        if (!ok) return;
        setCreating(false);
        setName('');
        setWorkingDir('');
      }),
    );
  };

  return (
    <div className="project-switcher">
      <select
        data-testid="project-switcher"
        aria-label="Project"
        value={project?.id ?? ''}
        onChange={(e) => store.switchProject(e.target.value)}
      >
        {project && !projects.some((p) => p.id === project.id) ? (
          <option value={project.id}>{project.name}</option>
        ) : null}
        {projects.map((p) => (
          <option key={p.id} value={p.id} data-testid={`project-option-${p.id}`}>
            {p.name} — {countsLabel(projectCounts.get(p.id))}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="ghost"
        data-testid="new-project"
        onClick={() => setCreating(!creating)}
      >
        New project
      </button>
      {creating ? (
        <form className="new-project" onSubmit={submit} data-testid="new-project-form">
          <input
            autoFocus
            data-testid="new-project-name"
            placeholder="Project name"
            aria-label="Project name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <input
            data-testid="new-project-dir"
            placeholder="Working directory on the server (optional)"
            aria-label="Working directory"
            value={workingDir}
            onChange={(e) => setWorkingDir(e.target.value)}
          />
          <button type="submit" className="primary" data-testid="new-project-submit" disabled={!name.trim()}>
            Create
          </button>
          <button type="button" onClick={() => setCreating(false)}>
            Never mind
          </button>
        </form>
      ) : null}
    </div>
  );
}
