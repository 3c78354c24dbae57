import { useEffect, useState, type FormEvent } from 'react';
import type { TaskDetailView } from './wire-types.js';
import { useStore } from './store-context.js';

interface Profile {
  name: string;
  isDefault: boolean;
  found: boolean;
  adapter: string;
}

/** The task's agents: spawn one with a chosen profile, and what its sessions cost so far. */
export function AgentSpawn({ detail }: { detail: TaskDetailView }) {
  const store = useStore();
  const [profiles, setProfiles] = useState<Profile[] | null>(null);
  const [agent, setAgent] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    store.inBackground('agent.list', () =>
      store.agents().then((list) => {
        if (!live) return;
        setProfiles(list);
        setAgent((current) => current || (list.find((p) => p.isDefault) ?? list[0])?.name || '');
      }),
    );
    return () => {
      live = false;
    };
  }, [store]);

  const task = detail.task;
  const spawn = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    store.inBackground('session.spawn', () =>
      store.spawnSession(task.id, agent).finally(() => setBusy(false)),
    );
  };
  const usage = detail.usage;
  return (
    <section className="detail-section" data-testid="detail-agents">
      <h3>Agents</h3>
      <form className="inline-form" onSubmit={spawn}>
        <select
          data-testid="spawn-agent"
          aria-label="Agent profile"
          value={agent}
          onChange={(e) => setAgent(e.target.value)}
          disabled={!profiles?.length}
        >
          {(profiles ?? []).map((p) => (
            <option key={p.name} value={p.name}>
              {p.name} ({p.adapter}){p.isDefault ? ' — default' : ''}
              {p.found ? '' : ' — not found'}
            </option>
          ))}
        </select>
        <button type="submit" className="primary" data-testid="spawn-submit" disabled={busy || !agent}>
          Spawn agent
        </button>
      </form>
      {usage ? (
        <p className="muted small" data-testid="task-cost">
          {usage.sessions} session{usage.sessions === 1 ? '' : 's'} · ${usage.costUsd.toFixed(4)} ·{' '}
          {usage.inputTokens} in / {usage.outputTokens} out tokens
        </p>
      ) : null}
    </section>
  );
}
