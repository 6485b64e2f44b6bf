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

/**
 * What a socket hears for committed changes: `ChangeEvent[]`, in commit order, one message for
 * all the changes the server read together (a transaction's, or several heard at once).
 */
export const SOCKET_EVENT = "changes";

/**
 * Sent to every socket when the server may have missed changes (its LISTEN connection to the
 * database was lost and came back): the client refetches, as after a reconnect of its own.
 */
export const SOCKET_GAP_EVENT = "resync";

/** Sent to a socket just before the server ends it because its credential ended or lost access. */
export const SOCKET_ENDED_EVENT = "credential_ended";

/** Sent to a socket whose principal's role or permissions changed: `{role, permissions}`. */
export const SOCKET_PRINCIPAL_EVENT = "principal_changed";

/**
 * What a transaction's one NOTIFY on EVENTS_CHANNEL carries (sent at commit by a trigger): the
 * ids of the events it wrote, with their distinct types and queues so a listener can tell
 * whether to wake without reading them. The realtime layer reads the rows by id.
 */
export interface EventsNotice {
  ids: number[];
  types: string[];
  queues: string[];
  /**
   * Whether a task went IN_PROGRESS without a worker (a retry, a resume, a start now), so an
   * executor may have to be told. A worker's claim (SCHEDULED → IN_PROGRESS) does not set it.
   * True when the sender did not say.
   */
  waitingStarts: boolean;
  /**
   * Whether a task it scheduled is still SCHEDULED when it commits: one a worker's claim
   * dispatched and started at once (an unbounded queue's waiting task) is nobody's to claim.
   * True when the sender did not say.
   */
  scheduledWaiting: boolean;
}

/**
 * The notice's kinds of change that may give waiting work to someone (the dispatcher, a waiting
 * worker): all of them, except a task.in_progress that only a worker's own claim wrote. A claim
 * frees no slot, pushes nothing and leaves nothing to claim; counted, every claim woke every
 * waiting worker (a dozen empty claims per useful one under load) and a full dispatch round.
 */
export function wakingTypes(notice: EventsNotice): string[] {
  return notice.types.filter(
    (type) =>
      (type !== "task.in_progress" || notice.waitingStarts) &&
      (type !== "task.scheduled" || notice.scheduledWaiting),
  );
}

export function parseEventsNotice(payload: string): EventsNotice | null {
  try {
    const notice = JSON.parse(payload) as Partial<EventsNotice> & {
      waiting_starts?: boolean;
      scheduled_waiting?: boolean;
    };
    if (!Array.isArray(notice.ids)) return null;
    return {
      ids: notice.ids,
      types: notice.types ?? [],
      queues: notice.queues ?? [],
      waitingStarts: notice.waiting_starts ?? true,
      scheduledWaiting: notice.scheduled_waiting ?? true,
    };
  } catch {
    return null;
  }
}
