import type { WorkspaceEvent } from '../machines/workspace.machine.js';
import type { CreateResult } from './create.js';
import type { MergeResult } from './merge.js';
import type { RecoveredMerge } from './recover.js';

/**
 * The workspace machine's event for an engine result, so every service maps outcomes the same
 * way: a create (ready or its setup failed), a merge, or a merge that recovery finished or rolled
 * back. Null for a create of a project that is not isolated (it has no workspace).
 */
export function workspaceEventFor(
  result:
    | { kind: 'create'; result: CreateResult }
    | { kind: 'merge'; result: MergeResult }
    | { kind: 'recovered'; result: RecoveredMerge },
): WorkspaceEvent | null {
  if (result.kind === 'create') {
    const created = result.result;
    if (!created.isolated) return null;
    if (!created.ready) {
      const setup = created.setup;
      const how = setup?.timedOut
        ? 'did not finish in time'
        : setup?.exitCode === null
          ? `was killed by ${setup?.signal}`
          : `exited with code ${setup?.exitCode}`;
      return { type: 'CREATE_FAILED', reason: `The setup command ${how}.` };
    }
    const ws = created.workspace;
    return {
      type: 'CREATED',
      path: ws.path,
      branch: ws.branch,
      baseBranch: ws.baseBranch,
      baseCommit: ws.createdFrom,
    };
  }
  if (result.kind === 'recovered') {
    const recovered = result.result;
    return recovered.outcome === 'merged'
      ? { type: 'MERGED', commit: recovered.commit ?? '' }
      : {
          type: 'MERGE_ABORTED',
          reason: `The merge was interrupted at its ${recovered.step} step; ${recovered.baseBranch} was not changed.`,
        };
  }
  const merge = result.result;
  switch (merge.outcome) {
    case 'merged':
      return { type: 'MERGED', commit: merge.to };
    case 'conflicted':
      return { type: 'CONFLICTED', files: merge.files, message: merge.message };
    case 'checks_failed':
      return { type: 'CHECKS_FAILED', message: merge.message };
    case 'base_moved':
      return { type: 'MERGE_ABORTED', reason: merge.message };
  }
}
