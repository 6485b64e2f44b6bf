// What every committed change publishes, to sockets on every instance. Clients apply an event
// only when its version is newer than the task they hold, and refetch on reconnect.

export const EVENTS_CHANNEL = "orchestrator_events";

export interface ChangeEvent {
  /** Monotonic event id (a bigint as a string). */
  id: string;
  type: string;
  taskId: string | null;
  /** The task's metadata.version after the change. */
  version: number | null;
  /**
   * The task's queue after a change of the task (null on escalation events and events about no
   * task): a client refreshes that queue's waiting list only, e.g. after a reorder.
   */
  queue: string | null;
  /** Set when the change moved the task to another queue: the queue it left. */
  fromQueue?: string;
  at: string;
}

export const SOCKET_EVENT = "change";

/**
 * What a transaction's one NOTIFY on EVENTS_CHANNEL carries (sent at commit by a trigger): the
 * ids of the events it wrote, with their distinct types and queues so a listener can tell
 * whether to wake without reading them. The realtime layer reads the rows by id.
 */
export interface EventsNotice {
  ids: number[];
  types: string[];
  queues: string[];
}

export function parseEventsNotice(payload: string): EventsNotice | null {
  try {
    const notice = JSON.parse(payload) as Partial<EventsNotice>;
    if (!Array.isArray(notice.ids)) return null;
    return { ids: notice.ids, types: notice.types ?? [], queues: notice.queues ?? [] };
  } catch {
    return null;
  }
}
