import { readdir } from 'node:fs/promises';
import { readJson, writeJsonDurably } from './durable-file.js';
import type { ProjectLayout } from './layout.js';
import type { PortRange } from './ports.js';

/**
 * How far creation or removal of a workspace got. Written before the step's work, so a re-run
 * after a crash knows where to go on: creation converges by redoing from the recorded step, and a
 * removal that recorded its snapshot never takes another one of a half-deleted folder.
 */
export type RecordStep =
  'creating' | 'branched' | 'worktree' | 'provisioned' | 'ready' | 'removing' | 'removed';

/** What the engine keeps of one task's workspace, in `<home>/workspaces/<project>/.maestro/<task>.json`. */
export interface WorkspaceRecord {
  version: 1;
  projectKey: string;
  taskId: string;
  slug: string;
  /** The project directory (in the main checkout) and its path inside the repository. */
  projectDir: string;
  repoRoot: string;
  prefix: string;
  branch: string;
  baseBranch: string;
  /** The worktree folder; the agent works in `path` + `prefix`. */
  path: string;
  step: RecordStep;
  createdAt: number;
  /** The base commit the branch was made from. */
  createdFrom: string;
  ports: PortRange | null;
  /**
   * Paths the engine created from the workspace file that git does not ignore in the worktree
   * (a node_modules symlink where .gitignore says `node_modules/`). Snapshots, status and diffs
   * leave them out.
   */
  excluded: string[];
  /** Copies and links made, for status. */
  provisioned: { path: string; mode: 'copy' | 'link' }[];
  /** Provisioned paths the repository does not ignore (an agent's `git add -A` would commit them). */
  warnings: string[];
  /** The snapshot a removal took before it started deleting. */
  removalSnapshot: number | null;
  mergedAt: number | null;
  mergedCommit: string | null;
  /** Where the base was before the merge: the diff of merged work is `mergedFrom..mergedCommit`. */
  mergedFrom?: string | null;
  archivedAt: number | null;
  removedAt: number | null;
}

export async function readRecord(layout: ProjectLayout, taskId: string): Promise<WorkspaceRecord | null> {
  return readJson<WorkspaceRecord>(layout.record(taskId));
}

export async function writeRecord(layout: ProjectLayout, record: WorkspaceRecord): Promise<void> {
  await writeJsonDurably(layout.record(record.taskId), record);
}

/** Every record of a project, by task id. */
export async function listRecords(layout: ProjectLayout): Promise<WorkspaceRecord[]> {
  let names: string[];
  try {
    names = await readdir(layout.stateDir);
  } catch {
    return [];
  }
  const records: WorkspaceRecord[] = [];
  for (const name of names.sort()) {
    if (!name.endsWith('.json') || name.endsWith('.merge.json') || name.startsWith('.')) continue;
    const record = await readRecord(layout, name.slice(0, -'.json'.length));
    if (record) records.push(record);
  }
  return records;
}

/** Whether a record's worktree should exist on disk (its ports are in use). */
export const isLive = (record: WorkspaceRecord): boolean => record.step !== 'removed';
