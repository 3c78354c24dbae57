/**
 * The workspace engine: a git worktree per task, snapshots so no work is lost, diffs, and a merge
 * with checks that lands atomically. No database and no gRPC: services drive it and keep the
 * lifecycle (src/machines/workspace.machine.ts) in their rows. See docs/workspaces.md.
 */
export { WorkspaceEngine } from './engine.js';
export type { PruneReport, RestoreResult, SyncResult, WorkspaceEngineOptions } from './engine.js';
export type { CreateOptions, CreateResult, ProjectRef, TaskRef, WorkspaceInfo } from './create.js';
export type { EngineHooks, FaultPoint } from './context.js';
export type { DiffFile, DiffFileStatus, WorkspaceDiff } from './diff.js';
export { DIFF_LIMITS } from './diff.js';
export { WorkspaceError, WorkspaceErrors, type WorkspaceErrorCode } from './errors.js';
export type { GitIdentity } from './git.js';
export { branchName, slugify, snapshotRef } from './layout.js';
export type { MergeJournal, MergeOptions, MergeResult, MergeStep } from './merge.js';
export type { CheckoutSync } from './checkout-sync.js';
export {
  allocatePortRange,
  DEFAULT_PORT_POOL,
  overlaps,
  portEnv,
  type PortPool,
  type PortRange,
} from './ports.js';
export {
  DEFAULT_PRUNE_POLICY,
  planPrune,
  type PruneCandidate,
  type PrunePlan,
  type PrunePolicy,
} from './prune-policy.js';
export type { RecoveredMerge, RecoveryReport } from './recover.js';
export type { RemoveResult } from './remove.js';
export { runCommand, type CommandResult } from './run-command.js';
export type { Snapshot } from './snapshots.js';
export type { WorkspaceChange, WorkspaceStatus } from './status.js';
export {
  DEFAULT_WORKSPACE_FILE,
  loadWorkspaceFile,
  parseWorkspaceFile,
  WORKSPACE_FILE,
  WORKSPACE_FILE_LIMITS,
  type CommandSpec,
  type MergeStrategy,
  type WorkspaceFile,
} from './workspace-file.js';
export { workspaceEventFor } from './machine-events.js';
