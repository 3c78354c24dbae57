/** Colours and labels the TUI's components share. */

type Color = 'green' | 'yellow' | 'red' | 'cyan' | 'gray' | 'blue' | 'magenta' | 'white';

export const STATUS_LABEL: Record<string, string> = {
  pending: 'PENDING',
  in_progress: 'IN PROGRESS',
  blocked: 'BLOCKED',
  in_review: 'IN REVIEW',
  completed: 'COMPLETED',
  cancelled: 'CANCELLED',
};

export function statusColor(status: string): Color {
  switch (status) {
    case 'in_progress':
    case 'stale':
      return 'yellow';
    case 'blocked':
    case 'failed':
    case 'lost':
      return 'red';
    case 'completed':
      return 'green';
    case 'running':
      return 'cyan';
    case 'spawning':
      return 'blue';
    default:
      return 'gray';
  }
}

export const PRIORITY_MARK: Record<string, { mark: string; color: Color }> = {
  high: { mark: 'H', color: 'red' },
  medium: { mark: 'M', color: 'yellow' },
  low: { mark: 'L', color: 'gray' },
};

export const priorityMark = (priority: string) => PRIORITY_MARK[priority] ?? { mark: '?', color: 'gray' };

/** A changed file's status in a diff stat, as `git status --short` marks it. */
export const DIFF_MARK: Record<string, { mark: string; color: Color }> = {
  added: { mark: 'A', color: 'green' },
  modified: { mark: 'M', color: 'yellow' },
  deleted: { mark: 'D', color: 'red' },
  renamed: { mark: 'R', color: 'cyan' },
  copied: { mark: 'C', color: 'cyan' },
  type_changed: { mark: 'T', color: 'magenta' },
};
