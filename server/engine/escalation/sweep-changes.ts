import type { Tx } from "../context";
import type { ForecastedTask } from "../forecast/queue-forecast";

// What changed since the escalation sweep's last pass, so that a pass costs the changes and not
// every live task (docs/scale.md, "The escalation sweep"). Every committed task change writes an
// event (the outbox); the sweep remembers the last event it saw and reads the ones after it:
// their tasks get their SLA clocks refreshed, their queues (and the one a task left) are
// forecast again. Anything that changes without an event (a queue's capacity, the skills'
// recent service times, a transaction committing out of id order that the re-read below does
// not cover) is caught within RECHECK_MS by the rolling check every pass makes (sweeps.ts: a
// slice of every live clock and of every open escalation; sweep-forecasts.ts: no forecast
// trusted longer), and every past deadline is looked at again once per RECHECK_MS.
//
// The state lives in this process, one per database client. Where it cannot say what changed
// (the first pass of a process, another instance's turn, the clock gone back, the events it read
// from gone: a TRUNCATE, pruned), the changes are those of the events of the last RECHECK_MS.
// Only more than MAX_EVENTS of them make a full pass: every clock, escalation and queue at once.

/** The bound on how late a change without an event is seen. */
export const RECHECK_MS = 10 * 60_000;
/** More events than this since the last pass: a full pass is cheaper than reading them. */
const MAX_EVENTS = 5_000;
/** Changes that say nothing about a task's SLA clock or its queue's forecast. */
const IRRELEVANT = /^(escalation\.|client\.|task\.(heartbeat|progress|step_advanced))/;

/** An event seen, by id and by the transaction that wrote it (ids restart after a TRUNCATE). */
interface Mark {
  id: bigint;
  xmin: string | null;
  /** The pass that saw it. */
  at: Date;
}

/** One queue's forecast as of a pass. */
export interface QueueForecastCache {
  at: Date;
  tasks: Map<string, ForecastedTask>;
}

export interface SweepState {
  lastAt: Date;
  /** When every past deadline was last looked at (slaPassed without its "since"). */
  lastRecheckAt: Date;
  /** The newest event seen at the pass before last, then at the last pass. */
  marks: [Mark, Mark];
  /** Where the rolling walk over the live clocks stands (wraps around). */
  refreshCursor: string | null;
  /** Where the rolling walk over the open escalations stands (wraps around). */
  resolveCursor: string | null;
  forecasts: Map<string, QueueForecastCache>;
  /**
   * The transactions of the last two passes: what they wrote (clocks refreshed) was forecast in
   * the same pass, so it is not a change for the next ones.
   */
  ownXids: string[];
}

export interface SweepChanges {
  /** Everything at once: asked, or too many events to read. */
  full: boolean;
  /**
   * When the pass before last ran (what time alone made true since then is new); null when every
   * past deadline is to be looked at (full, unknown, or RECHECK_MS since the last time).
   */
  since: Date | null;
  /** Tasks changed since the pass before last, and their live dependents (a blocker done). */
  taskIds: string[];
  /** Their queues, and those they left. */
  queues: string[];
}

const states = new WeakMap<object, SweepState>();

export function sweepState(db: object): SweepState | undefined {
  return states.get(db);
}

/** As a new process does: the next pass knows nothing of the earlier ones (the scale bench). */
export function forgetSweepState(db: object): void {
  states.delete(db);
}

/**
 * Takes the sweep's lock (`options.lock`, a transaction-level advisory lock, not waited for:
 * null when another instance holds it), then reads what changed since the pass before last
 * (one pass of overlap: a transaction that took its event ids before the last pass and
 * committed after it is still seen), and moves the marks on. When that is not known (first
 * pass, clock gone back, the event read from gone or another one), the events of the last
 * RECHECK_MS. Full when asked or when too much changed. The lock, the newest event and the
 * check of the one read from are one statement: a quiet pass is bound by its round trips.
 */
export async function changesSinceLastPass(
  tx: Tx,
  at: Date,
  db: object,
  options: { full?: boolean; lock: string },
): Promise<{ changes: SweepChanges; state: SweepState } | null> {
  const previous = states.get(db);
  const from = previous?.marks[0];
  const [newest] = await tx.$queryRaw<
    { locked: boolean; id: bigint | null; xmin: string | null; xid: string; fromXmin: string | null }[]
  >`
    SELECT pg_try_advisory_xact_lock(hashtext(${options.lock})) AS locked, e.id, e.xmin,
           pg_current_xact_id()::xid::text AS xid,
           (SELECT xmin::text FROM events WHERE id = ${from?.id ?? null}::bigint) AS "fromXmin"
    FROM (SELECT 1) one
    LEFT JOIN (SELECT id, xmin::text AS xmin FROM events ORDER BY id DESC LIMIT 1) e ON true`;
  if (!newest?.locked) return null;
  const mark: Mark =
    newest.id != null ? { id: BigInt(newest.id), xmin: newest.xmin, at } : { id: 0n, xmin: null, at };
  // Still this database's events, and this clock's: the marks can be read from.
  const continued =
    !!previous && !!from && at >= previous.lastAt && (from.xmin === null || newest.fromXmin === from.xmin);
  const rows = options.full
    ? null
    : continued && from
      ? await eventsAfter(tx, from.id, previous?.ownXids ?? [])
      : await recentEvents(tx, new Date(at.getTime() - RECHECK_MS));
  const full = rows === null || rows.length > MAX_EVENTS;
  const recheck =
    full || !continued || !previous || at.getTime() - previous.lastRecheckAt.getTime() >= RECHECK_MS;
  const state: SweepState = {
    lastAt: at,
    lastRecheckAt: recheck ? at : (previous?.lastRecheckAt ?? at),
    marks: [continued && previous ? previous.marks[1] : mark, mark],
    refreshCursor: previous?.refreshCursor ?? null,
    resolveCursor: previous?.resolveCursor ?? null,
    // A full pass forecasts every queue again, overwriting each; kept meanwhile so that its
    // tasks already forecast are known (sweep-forecasts.ts records only first forecasts).
    forecasts: continued && previous ? previous.forecasts : new Map(),
    ownXids: [...(continued ? (previous?.ownXids.slice(-1) ?? []) : []), newest.xid],
  };
  states.set(db, state);
  if (rows === null || full) return { changes: { full: true, since: null, taskIds: [], queues: [] }, state };
  const relevant = rows.filter((r) => !IRRELEVANT.test(r.type));
  const changed = [...new Set(relevant.flatMap((r) => (r.taskId ? [r.taskId] : [])))];
  const queues = new Set(relevant.flatMap((r) => [r.queue, r.fromQueue].filter((q): q is string => !!q)));
  const dependents = await liveDependents(tx, changed);
  for (const d of dependents) queues.add(d.queue);
  return {
    changes: {
      full: false,
      since: recheck ? null : (from?.at ?? null),
      taskIds: [...new Set([...changed, ...dependents.map((d) => d.id)])],
      queues: [...queues],
    },
    state,
  };
}

function eventsAfter(tx: Tx, id: bigint, ownXids: string[]) {
  return tx.$queryRaw<
    { type: string; taskId: string | null; queue: string | null; fromQueue: string | null }[]
  >`
    SELECT type, task_id AS "taskId", queue, from_queue AS "fromQueue" FROM events
    WHERE id > ${id} AND xmin::text <> ALL(${ownXids}::text[]) ORDER BY id LIMIT ${MAX_EVENTS + 1}`;
}

/**
 * The events at or after `since`, newest first, at most MAX_EVENTS + 1 (more: too many). Read
 * down the id index from the newest: the outbox has no index on its time.
 */
function recentEvents(tx: Tx, since: Date) {
  return tx.$queryRaw<
    { type: string; taskId: string | null; queue: string | null; fromQueue: string | null }[]
  >`
    SELECT type, task_id AS "taskId", queue, from_queue AS "fromQueue" FROM (
      SELECT id, at, type, task_id, queue, from_queue FROM events ORDER BY id DESC LIMIT ${MAX_EVENTS + 1}
    ) e WHERE e.at >= ${since} ORDER BY e.id`;
}

/** Live tasks waiting on the given ones: a blocker's change moves their clock and forecast. */
function liveDependents(tx: Tx, ids: string[]): Promise<{ id: string; queue: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.$queryRaw<{ id: string; queue: string }[]>`
    SELECT t.id, t.queue_name AS queue FROM task_dependencies d JOIN tasks t ON t.id = d.dependent_id
    WHERE d.blocker_id = ANY(${ids}::text[]) AND t.state NOT IN ('COMPLETED', 'CANCELLED') AND t.archived_at IS NULL`;
}
