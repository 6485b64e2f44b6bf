import type { Tx } from "../context";
import { recordEvent } from "../tracking/events";
import { type ClockInputs, readClockInputs } from "./clock-inputs";
import { computeSlaClock, type SlaClock, type SlaFacts } from "./sla-clock";

// Materialises each live task's SLA clock (sla-clock.ts) on its row: sla_deadline (the live
// deadline after pauses, null while paused), sla_paused, sla_elapsed_ms as of sla_clock_at. The
// clock is derived data — a pure function of the task's history, its blockers and its queue's
// policy — and it only changes when one of those does (not with time alone), so it is refreshed
// from outside the write path: by the engine right after it hears a task change
// (follow-changes.ts), for a whole queue when its policy changes, and by the escalation sweep
// walking every live task in turn (a safety net for a missed notification).
// It does not bump the task's version (nobody's edit goes stale because a clock moved); a
// change of deadline or pause is published as a "task.sla_clock" event so screens refresh.

export interface RefreshOptions {
  /** Only these tasks (after a change). */
  taskIds?: string[];
  /** Only this queue's tasks (its policy changed). */
  queue?: string;
  /** Otherwise: the live tasks after this id, in id order (the sweep walks them all in turn). */
  afterId?: string;
  limit?: number;
}

export interface RefreshResult {
  /** Tasks whose deadline or pause changed (written, and published as task.sla_clock). */
  changed: string[];
  /** The last task looked at, for the sweep's next batch; null when the batch reached the end. */
  lastId: string | null;
}

/**
 * Refreshes the SLA clocks. Reads without locking (a clock only changes when something else did)
 * and writes only a clock that changed: the dispatcher, which skips rows locked by others, is
 * never made to miss a task by a refresh that had nothing to say — and a change it might have
 * missed is published as task.sla_clock, which wakes it.
 */
export async function refreshSlaClocks(
  tx: Tx,
  at: Date,
  options: RefreshOptions = {},
): Promise<RefreshResult> {
  const ids = options.taskIds ?? null;
  if (ids !== null && ids.length === 0) return { changed: [], lastId: null };
  const limit = options.limit ?? 500;
  const inputs = await readClockInputs(tx, {
    taskIds: ids,
    queue: options.queue,
    afterId: options.afterId,
    limit,
  });
  const { tasks } = inputs;
  if (tasks.length === 0) return { changed: [], lastId: null };
  const clocks = computeClocks(at, inputs);
  const changed: string[] = [];
  for (const task of tasks) {
    const clock = clocks.get(task.id)!;
    const moved = (clock.deadline?.getTime() ?? null) !== (task.slaDeadline?.getTime() ?? null);
    // Nothing to say: leave the row alone (the write path has enough to do).
    if (!moved && clock.paused === task.slaPaused) continue;
    // Only over the version it was computed from: a task changed meanwhile is refreshed again
    // after that change (its event reaches the follower).
    const written = await tx.$executeRaw`
      UPDATE tasks SET sla_deadline = ${clock.deadline}, sla_paused = ${clock.paused},
                       sla_elapsed_ms = ${clock.elapsedMs}, sla_clock_at = ${at}
      WHERE id = ${task.id} AND version = ${task.version}`;
    if (written === 0) continue;
    changed.push(task.id);
    await recordEvent(tx, {
      at,
      type: "task.sla_clock",
      taskId: task.id,
      version: task.version,
      queue: task.queue,
      payload: { paused: clock.paused, sla_deadline: clock.deadline?.toISOString() ?? null },
    });
  }
  return { changed, lastId: tasks.length === limit ? tasks.at(-1)!.id : null };
}

/** The live SLA clock of each selected task, from what was read of it. */
function computeClocks(at: Date, inputs: ClockInputs): Map<string, SlaClock> {
  const out = new Map<string, SlaClock>();
  for (const task of inputs.tasks) {
    const rows = inputs.history.get(task.id) ?? [];
    // The state in effect at entry, then the transitions since.
    const atEntry = rows.filter((r) => r.at <= task.enteredAt).at(-1);
    const states = [...(atEntry ? [atEntry] : []), ...rows.filter((r) => r.at > task.enteredAt)];
    const wait = inputs.waits.get(task.id);
    const facts: SlaFacts = {
      slaMs: task.slaMinutes * 60_000,
      enteredAt: task.enteredAt,
      states: states.map((s) => ({ state: s.state, at: s.at, reason: s.reason })),
      blockerWait:
        wait && (!wait.done || (wait.to !== null && wait.to > wait.from))
          ? { from: wait.from, to: wait.done ? wait.to : null }
          : null,
      now: at,
    };
    out.set(task.id, computeSlaClock(facts, inputs.policies.get(task.queue)!));
  }
  return out;
}

export interface TaskSlaView {
  paused: boolean;
  /** The pause state, "client" (BLOCKED on the client) or "blockers"; null while running. */
  paused_by: string | null;
  elapsed_minutes: number;
  remaining_minutes: number;
  /** The live deadline after pauses (business time); null while paused with time left. */
  deadline: string | null;
}

/** A task's SLA clock now, for the API; null without one (finished, backlog, scheduled). */
export async function loadTaskSla(tx: Tx, at: Date, taskId: string): Promise<TaskSlaView | null> {
  const inputs = await readClockInputs(tx, { taskIds: [taskId], limit: 1, archived: true });
  const task = inputs.tasks[0];
  if (!task) return null;
  const clock = computeClocks(at, inputs).get(task.id)!;
  return {
    paused: clock.paused,
    paused_by: clock.pausedBy,
    elapsed_minutes: Math.floor(clock.elapsedMs / 60_000),
    remaining_minutes: Math.floor(clock.remainingMs / 60_000),
    deadline: clock.deadline?.toISOString() ?? null,
  };
}
