import { isBoardFiltered, NO_BOARD_FILTER, type BoardFilter } from '../../src/client/board-queries.js';
import { PRIORITIES, TASK_STATUSES } from './wire-types.js';
import { statusLabel } from './format.js';

/** Search and filters over the board: text, status, priority, label and claim holder. */
export function BoardFilters({
  filter,
  onChange,
  shown,
  total,
}: {
  filter: BoardFilter;
  onChange: (f: BoardFilter) => void;
  shown: number;
  total: number;
}) {
  const toggle = (list: readonly string[], value: string) =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  return (
    <div className="filters" data-testid="filters" role="search">
      <input
        type="search"
        data-testid="filter-text"
        placeholder="Search tasks (/)"
        aria-label="Search tasks"
        value={filter.text}
        onChange={(e) => onChange({ ...filter, text: e.target.value })}
      />
      <div className="chips" aria-label="Status">
        {TASK_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={`chip${filter.statuses.includes(s) ? ' on' : ''}`}
            aria-pressed={filter.statuses.includes(s)}
            data-testid={`filter-status-${s}`}
            onClick={() => onChange({ ...filter, statuses: toggle(filter.statuses, s) })}
          >
            {statusLabel(s)}
          </button>
        ))}
      </div>
      <div className="chips" aria-label="Priority">
        {PRIORITIES.map((p) => (
          <button
            key={p}
            type="button"
            className={`chip${filter.priorities.includes(p) ? ' on' : ''}`}
            aria-pressed={filter.priorities.includes(p)}
            data-testid={`filter-priority-${p}`}
            onClick={() => onChange({ ...filter, priorities: toggle(filter.priorities, p) })}
          >
            {p}
          </button>
        ))}
      </div>
      <input
        data-testid="filter-label"
        placeholder="Label"
        aria-label="Label"
        className="short"
        value={filter.label}
        onChange={(e) => onChange({ ...filter, label: e.target.value })}
      />
      <input
        data-testid="filter-holder"
        placeholder="Held by (none: unclaimed)"
        aria-label="Held by"
        className="short"
        value={filter.holder}
        onChange={(e) => onChange({ ...filter, holder: e.target.value })}
      />
      {isBoardFiltered(filter) ? (
        <span className="filter-result">
          <span data-testid="filter-count">
            {shown} of {total}
          </span>{' '}
          <button
            type="button"
            className="link"
            data-testid="filter-clear"
            onClick={() => onChange(NO_BOARD_FILTER)}
          >
            Clear
          </button>
        </span>
      ) : null}
    </div>
  );
}
