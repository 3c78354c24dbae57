import { assign, setup } from 'xstate';
import { WORKSPACE_STATUSES } from '../contract/views.js';

/** Why a workspace came back to its worker (or failed to be made): the newest reason only. */
export interface WorkspaceFailure {
  kind: 'create' | 'rejected' | 'conflict' | 'checks' | 'aborted';
  message: string;
  /** The conflicting files (a conflict), else empty. */
  files: string[];
}

export interface WorkspaceContext {
  /** The worktree folder and its branch, once made. */
  path: string | null;
  branch: string | null;
  baseBranch: string | null;
  /** The base commit the branch was made from. */
  baseCommit: string | null;
  failure: WorkspaceFailure | null;
  /** Merge attempts started (a crash-recovered attempt counts). */
  mergeAttempts: number;
  /** The base branch's commit after the merge. */
  mergedCommit: string | null;
}

export type WorkspaceEvent =
  | { type: 'CREATED'; path: string; branch: string; baseBranch: string; baseCommit: string }
  | { type: 'CREATE_FAILED'; reason: string }
  | { type: 'RETRY_CREATE' }
  | { type: 'SUBMIT'; reviewRequired: boolean }
  | { type: 'APPROVE' }
  | { type: 'REJECT'; reason: string }
  | { type: 'WITHDRAW' }
  | { type: 'MERGE_STARTED' }
  | { type: 'MERGED'; commit: string }
  | { type: 'CONFLICTED'; files: string[]; message: string }
  | { type: 'CHECKS_FAILED'; message: string }
  | { type: 'MERGE_ABORTED'; reason: string }
  | { type: 'RESUME' }
  | { type: 'ARCHIVE' }
  | { type: 'REOPEN' };

export type WorkspaceEventType = WorkspaceEvent['type'];

/** The states, named once in the contract (the views carry them). */
export { WORKSPACE_STATUSES };
export type WorkspaceStatus = (typeof WORKSPACE_STATUSES)[number];

/** Bumped when the machine's states or context change shape, so stored snapshots can be migrated. */
export const WORKSPACE_MACHINE_VERSION = 1;

/** At most this many conflicting files are kept in the context (the engine names up to 200). */
export const WORKSPACE_FAILURE_FILES = 50;

const failure = (
  kind: WorkspaceFailure['kind'],
  message: string,
  files: string[] = [],
): WorkspaceFailure => ({
  kind,
  message,
  files: files.slice(0, WORKSPACE_FAILURE_FILES),
});

/**
 * A task's workspace: made, worked in, reviewed, queued, merged with checks. The engine
 * (src/workspaces) does the git work as side effects; the service turns each result into one of
 * these events. Review is required or not per project: SUBMIT carries that fact, so the machine
 * stays pure. `merging` is left only by the merge's outcome, or by MERGE_ABORTED when crash
 * recovery rolled an attempt back (the base branch untouched).
 */
export const workspaceMachine = setup({
  types: { context: {} as WorkspaceContext, events: {} as WorkspaceEvent },
  guards: {
    reviewRequired: ({ event }) => event.type === 'SUBMIT' && event.reviewRequired,
    conflictNamesFiles: ({ event }) => event.type === 'CONFLICTED' && event.files.length > 0,
  },
  actions: {
    recordCreated: assign(({ event, context }) =>
      event.type === 'CREATED'
        ? {
            path: event.path,
            branch: event.branch,
            baseBranch: event.baseBranch,
            baseCommit: event.baseCommit,
            failure: null,
          }
        : context,
    ),
    recordFailure: assign({
      failure: ({ event, context }) => {
        switch (event.type) {
          case 'CREATE_FAILED':
            return failure('create', event.reason);
          case 'REJECT':
            return failure('rejected', event.reason);
          case 'CONFLICTED':
            return failure('conflict', event.message, event.files);
          case 'CHECKS_FAILED':
            return failure('checks', event.message);
          case 'MERGE_ABORTED':
            return failure('aborted', event.reason);
          default:
            return context.failure;
        }
      },
    }),
    clearFailure: assign({ failure: null }),
    countAttempt: assign({ mergeAttempts: ({ context }) => context.mergeAttempts + 1 }),
    recordMerge: assign({
      mergedCommit: ({ event, context }) => (event.type === 'MERGED' ? event.commit : context.mergedCommit),
      failure: null,
    }),
    clearMerge: assign({ mergedCommit: null, failure: null }),
  },
}).createMachine({
  id: 'workspace',
  initial: 'creating',
  context: {
    path: null,
    branch: null,
    baseBranch: null,
    baseCommit: null,
    failure: null,
    mergeAttempts: 0,
    mergedCommit: null,
  },
  states: {
    creating: {
      on: {
        CREATED: { target: 'ready', actions: 'recordCreated' },
        CREATE_FAILED: { target: 'create_failed', actions: 'recordFailure' },
        ARCHIVE: { target: 'archived' },
      },
    },
    create_failed: {
      on: {
        RETRY_CREATE: { target: 'creating' },
        ARCHIVE: { target: 'archived' },
      },
    },
    ready: {
      on: {
        SUBMIT: [
          { guard: 'reviewRequired', target: 'review', actions: 'clearFailure' },
          { target: 'queued', actions: 'clearFailure' },
        ],
        ARCHIVE: { target: 'archived' },
      },
    },
    review: {
      on: {
        APPROVE: { target: 'queued' },
        REJECT: { target: 'ready', actions: 'recordFailure' },
        ARCHIVE: { target: 'archived' },
      },
    },
    queued: {
      on: {
        MERGE_STARTED: { target: 'merging', actions: 'countAttempt' },
        WITHDRAW: { target: 'ready' },
        ARCHIVE: { target: 'archived' },
      },
    },
    // No ARCHIVE here: an attempt in flight ends with its outcome (or its recovery) first.
    merging: {
      on: {
        MERGED: { target: 'merged', actions: 'recordMerge' },
        CONFLICTED: { guard: 'conflictNamesFiles', target: 'conflicted', actions: 'recordFailure' },
        CHECKS_FAILED: { target: 'checks_failed', actions: 'recordFailure' },
        MERGE_ABORTED: { target: 'queued', actions: 'recordFailure' },
      },
    },
    conflicted: {
      on: {
        SUBMIT: [
          { guard: 'reviewRequired', target: 'review', actions: 'clearFailure' },
          { target: 'queued', actions: 'clearFailure' },
        ],
        RESUME: { target: 'ready' },
        ARCHIVE: { target: 'archived' },
      },
    },
    checks_failed: {
      on: {
        SUBMIT: [
          { guard: 'reviewRequired', target: 'review', actions: 'clearFailure' },
          { target: 'queued', actions: 'clearFailure' },
        ],
        RESUME: { target: 'ready' },
        ARCHIVE: { target: 'archived' },
      },
    },
    // A reopened task continues in the same workspace: creating again is idempotent and makes
    // the worktree anew only if it was pruned.
    merged: {
      on: { REOPEN: { target: 'creating', actions: 'clearMerge' } },
    },
    archived: {
      on: { REOPEN: { target: 'creating', actions: 'clearMerge' } },
    },
  },
});
