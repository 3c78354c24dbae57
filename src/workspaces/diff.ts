import { splitNul, type Git } from './git.js';

export type DiffFileStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type_changed';

export interface DiffFile {
  path: string;
  /** The path before a rename or copy. */
  oldPath: string | null;
  status: DiffFileStatus;
  /** Lines; null for a binary file. */
  additions: number | null;
  deletions: number | null;
  binary: boolean;
}

export interface WorkspaceDiff {
  base: string;
  /** Where the task's branch left the base: the diff is from here. */
  mergeBase: string;
  /** The branch's commit, and the tree of the files the diff goes to (uncommitted changes included). */
  head: string;
  tree: string;
  files: DiffFile[];
  /** More files changed than DIFF_LIMITS.files: `files` holds the first ones, `totals` counts all. */
  filesTruncated: boolean;
  totals: { files: number; additions: number; deletions: number };
  /** `git diff --stat`. */
  stat: string;
  /** The full patch, when asked for; cut at DIFF_LIMITS.patchBytes (then `patchTruncated`). */
  patch: string | null;
  patchTruncated: boolean;
}

export const DIFF_LIMITS = { files: 5000, patchBytes: 8 * 1024 * 1024, statWidth: 120 } as const;

const STATUS: Record<string, DiffFileStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type_changed',
};

/** The changes from `from` to `to` (trees or commits), structured, with a stat and optionally the patch. */
export async function treeDiff(
  git: Git,
  repo: string,
  from: string,
  to: string,
  options: { patch: boolean; maxPatchBytes?: number },
): Promise<Pick<WorkspaceDiff, 'files' | 'filesTruncated' | 'totals' | 'stat' | 'patch' | 'patchTruncated'>> {
  const names = splitNul(await git.text(repo, ['diff-tree', '-r', '-z', '-M', '--name-status', from, to]));
  const counts = splitNul(await git.text(repo, ['diff-tree', '-r', '-z', '-M', '--numstat', from, to]));
  const files = parseNameStatus(names);
  const numbers = parseNumstat(counts);
  const totals = { files: files.length, additions: 0, deletions: 0 };
  for (const file of files) {
    const n = numbers.get(file.path);
    if (n) {
      file.additions = n.additions;
      file.deletions = n.deletions;
      file.binary = n.additions === null;
    }
    totals.additions += file.additions ?? 0;
    totals.deletions += file.deletions ?? 0;
  }
  const stat = await git.text(repo, ['diff', `--stat=${DIFF_LIMITS.statWidth}`, '-M', from, to]);
  let patch: string | null = null;
  let patchTruncated = false;
  if (options.patch) {
    const result = await git.run(repo, ['diff', '-M', '--no-color', from, to], {
      maxOutputBytes: options.maxPatchBytes ?? DIFF_LIMITS.patchBytes,
      truncate: true,
    });
    patch = result.stdout;
    patchTruncated = result.truncated;
  }
  return {
    files: files.slice(0, DIFF_LIMITS.files),
    filesTruncated: files.length > DIFF_LIMITS.files,
    totals,
    stat,
    patch,
    patchTruncated,
  };
}

/** `--name-status -z`: `X\0path\0`, or `R100\0old\0new\0` for renames and copies. */
function parseNameStatus(fields: string[]): DiffFile[] {
  const files: DiffFile[] = [];
  for (let i = 0; i < fields.length;) {
    const code = fields[i++] ?? '';
    const letter = code[0] ?? 'M';
    const status = STATUS[letter] ?? 'modified';
    if (letter === 'R' || letter === 'C') {
      const oldPath = fields[i++] ?? '';
      const path = fields[i++] ?? '';
      files.push({ path, oldPath, status, additions: 0, deletions: 0, binary: false });
    } else {
      files.push({
        path: fields[i++] ?? '',
        oldPath: null,
        status,
        additions: 0,
        deletions: 0,
        binary: false,
      });
    }
  }
  return files;
}

/** `--numstat -z`: `A\tD\tpath\0`, or `A\tD\t\0old\0new\0` for renames; `-\t-` for binary files. */
function parseNumstat(fields: string[]): Map<string, { additions: number | null; deletions: number | null }> {
  const counts = new Map<string, { additions: number | null; deletions: number | null }>();
  for (let i = 0; i < fields.length;) {
    const [added = '-', deleted = '-', path = ''] = (fields[i++] ?? '').split('\t');
    let target = path;
    if (path === '') {
      i++; // the old path
      target = fields[i++] ?? '';
    }
    counts.set(target, {
      additions: added === '-' ? null : Number(added),
      deletions: deleted === '-' ? null : Number(deleted),
    });
  }
  return counts;
}
