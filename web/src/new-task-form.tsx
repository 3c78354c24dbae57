import { useState, type FormEvent } from 'react';
import { PRIORITIES } from './wire-types.js';
import { useBoard, useStore } from './store-context.js';

/** Creates a task in the board's project; works offline too (the command is queued). */
export function NewTaskForm() {
  const store = useStore();
  const { project } = useBoard();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState('medium');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    if (store.createTask({ title: trimmed, description: description.trim(), priority })) {
      setTitle('');
      setDescription('');
    }
  };

  return (
    <form className="new-task" onSubmit={submit} data-testid="new-task-form">
      <input
        data-testid="new-task-title"
        placeholder="New task title"
        aria-label="New task title"
        value={title}
        maxLength={500}
        onChange={(e) => setTitle(e.target.value)}
      />
      <input
        data-testid="new-task-description"
        placeholder="Description (optional)"
        aria-label="Description"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <select
        data-testid="new-task-priority"
        aria-label="Priority"
        value={priority}
        onChange={(e) => setPriority(e.target.value)}
      >
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <button
        type="submit"
        className="primary"
        data-testid="new-task-submit"
        disabled={!project || !title.trim()}
      >
        Add task
      </button>
    </form>
  );
}
