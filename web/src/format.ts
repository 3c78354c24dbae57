/** Display helpers shared by the components. */

export const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending',
  in_progress: 'In progress',
  blocked: 'Blocked',
  in_review: 'In review',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const PRIORITY_RANK: Record<string, number> = { high: 0, medium: 1, low: 2 };

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

/** "3 min ago", or the date for anything older than a day. */
export function ago(iso: string, now = Date.now()): string {
  if (!iso) return '';
  const ms = now - Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export function time(iso: string): string {
  return iso ? new Date(iso).toLocaleString() : '';
}
