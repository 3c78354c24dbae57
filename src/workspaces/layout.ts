import { join } from 'node:path';
import { WorkspaceErrors } from './errors.js';

/**
 * Where a workspace lives and what its git names are. A task id and a project key become folder
 * names and ref components, so both are restricted to characters that are safe in either.
 */
const KEY = /^[A-Za-z0-9_-]{1,64}$/;
const SLUG_MAX = 40;

export function checkKey(field: 'taskId' | 'projectKey', value: string): string {
  if (typeof value !== 'string' || !KEY.test(value))
    throw WorkspaceErrors.invalidArgument(field, value, '1 to 64 characters from A-Z a-z 0-9 _ -');
  return value;
}

/** A task title as a folder and branch name: lowercase ASCII words joined by '-', at most 40 characters. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  return slug || 'task';
}

export const branchName = (taskId: string, slug: string): string => `maestro/${taskId}-${slug}`;

export const SNAPSHOT_NAMESPACE = 'refs/maestro/snapshots';
export const snapshotRefPrefix = (taskId: string): string => `${SNAPSHOT_NAMESPACE}/${taskId}/`;
export const snapshotRef = (taskId: string, n: number): string => `${snapshotRefPrefix(taskId)}${n}`;

/** The folders of one project's workspaces under the Maestro home. */
export class ProjectLayout {
  readonly root: string;
  /** Engine state: one record and at most one merge journal per task, temporary index files. */
  readonly stateDir: string;
  readonly tmpDir: string;

  constructor(
    home: string,
    readonly projectKey: string,
  ) {
    checkKey('projectKey', projectKey);
    this.root = join(workspacesRoot(home), projectKey);
    this.stateDir = join(this.root, '.maestro');
    this.tmpDir = join(this.stateDir, 'tmp');
  }

  worktree(taskId: string, slug: string): string {
    return join(this.root, `${taskId}-${slug}`);
  }

  record(taskId: string): string {
    return join(this.stateDir, `${taskId}.json`);
  }

  journal(taskId: string): string {
    return join(this.stateDir, `${taskId}.merge.json`);
  }
}

export const workspacesRoot = (home: string): string => join(home, 'workspaces');
