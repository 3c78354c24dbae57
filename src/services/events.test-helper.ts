import type { MaestroEvent } from './event-types.js';

/** A committed event with the given `seq`, for the bus and follower tests. */
export const event = (seq: number): MaestroEvent => ({
  seq,
  type: 'task.created',
  entityType: 'task',
  entityId: `t_${seq}`,
  projectId: 'p_1',
  data: {},
  createdAt: new Date(0).toISOString(),
});
