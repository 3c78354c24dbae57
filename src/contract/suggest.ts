/** "Did you mean": the closest known name to a mistyped one, for errors of the CLI, config and ops. */
export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

/**
 * The known name nearest to `given` (case-insensitive), if it is close enough to be a typo: at most
 * 2 edits, or a third of the name's length for long names. Names longer than 100 characters are
 * not compared (the cost is quadratic in the length).
 */
export function nearest(given: string, known: readonly string[]): string | undefined {
  if (given.length > 100) return undefined;
  const g = given.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = editDistance(g, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  const allowed = Math.max(2, Math.floor(given.length / 3));
  return bestDistance <= allowed ? best : undefined;
}
