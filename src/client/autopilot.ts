import type { AutopilotView } from '../contract/autopilot.js';
import { isAutopilotView, type BoardEvent } from './wire-guards.js';

/**
 * A project's autopilot as a board shows it (docs/autopilot.md): the view `autopilot.get` answers,
 * kept current by the `autopilot.on`, `autopilot.off` and `autopilot.updated` events (each carries
 * the settings in `data.autopilot`), and the live workers its cap counts.
 */

/** Settings change in time order: a view older than the one held (a replayed event) is dropped. */
const isNewerAutopilot = (next: AutopilotView, current: AutopilotView | null) =>
  !current || current.projectId !== next.projectId || next.updatedAt >= current.updatedAt;

/**
 * The autopilot of `projectId` after a batch of events: the newest view they carry, or `current`
 * (the same object) when none changes it.
 */
export function autopilotAfter(
  current: AutopilotView | null,
  events: readonly BoardEvent[],
  projectId: string,
): AutopilotView | null {
  let view = current;
  for (const event of events) {
    const next = event.data.autopilot;
    if (!event.type.startsWith('autopilot.') || !isAutopilotView(next) || next.projectId !== projectId)
      continue;
    if (isNewerAutopilot(next, view)) view = next;
  }
  return view;
}

/** A reply (`autopilot.get`, `autopilot.set`) over what is held, unless what is held is newer. */
export function autopilotReplied(current: AutopilotView | null, reply: AutopilotView): AutopilotView | null {
  return isNewerAutopilot(reply, current) ? reply : current;
}
