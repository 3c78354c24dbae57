/** One entry of the event log, as every live view sees it. */
export interface MaestroEvent {
  seq: number;
  type: string;
  entityType: string;
  entityId: string;
  projectId: string;
  data: Record<string, unknown>;
  createdAt: string;
}

/** Where the command runner hands the events of a committed batch. */
export interface EventPublisher {
  publish(events: readonly MaestroEvent[]): void;
  /**
   * A batch is about to commit with events up to `lastSeq` (its own announcement may arrive
   * before it is published); `committed: false` when the commit failed.
   */
  committing?(lastSeq: number, committed: boolean): void;
}
