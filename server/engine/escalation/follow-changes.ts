import type { EngineContext } from "../context";
import { refreshSlaClocks } from "../sla/refresh-sla";
import { inTransaction } from "../state/transaction";
import { resolveStaleEscalations } from "./auto-resolve";

// Right after tasks change (the engine runner hears every committed change on the events
// channel), the SLA clocks of just those tasks are refreshed (sla/refresh-sla.ts) and their
// escalations checked for a cause that went away, so the
// inbox follows a retry, a completion or an unblock within a moment — from the write path's
// outside, in its own transaction. The sweep catches whatever this misses (a lost notification,
// a crash in between). Every instance hears every change: resolving is idempotent (row locks,
// SKIP LOCKED, a resolved escalation is never resolved again).

/** Task changes that cannot end an escalation's cause: not worth a look. */
const IRRELEVANT = /^(escalation\.|task\.(heartbeat|progress|claimed|step_advanced|reordered))/;

export interface EscalationFollower {
  /** Feed it every notice heard: the ids of the events a transaction wrote, and their types. */
  heard(eventIds: readonly number[], types: readonly string[]): void;
  /** Waits for the check in flight. */
  flush(): Promise<void>;
  stop(): void;
}

export function followTaskChanges(
  ctx: EngineContext,
  options: { debounceMs?: number; onError?: (error: unknown) => void } = {},
): EscalationFollower {
  const pending = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  function run(): void {
    timer = undefined;
    const eventIds = [...pending];
    pending.clear();
    running = running
      .then(() =>
        inTransaction(ctx, async (tx, at) => {
          // The notice carries event ids; the events say which tasks changed.
          const rows = await tx.$queryRaw<{ taskId: string; type: string }[]>`
            SELECT DISTINCT task_id AS "taskId", type FROM events
            WHERE id = ANY(${eventIds}::bigint[]) AND task_id IS NOT NULL`;
          const taskIds = [...new Set(rows.filter((r) => !IRRELEVANT.test(r.type)).map((r) => r.taskId))];
          if (taskIds.length === 0) return;
          // The clock first: a pause or a moved deadline is a cause that may have gone away.
          await refreshSlaClocks(tx, at, { taskIds });
          await resolveStaleEscalations(tx, at, { taskIds });
        }),
      )
      .then(
        () => undefined,
        (error) => options.onError?.(error),
      );
  }

  return {
    heard(eventIds, types) {
      if (stopped || eventIds.length === 0 || types.every((type) => IRRELEVANT.test(type))) return;
      for (const id of eventIds) pending.add(id);
      if (!timer) {
        timer = setTimeout(run, options.debounceMs ?? 100);
        timer.unref();
      }
    },
    async flush() {
      if (timer) {
        clearTimeout(timer);
        run();
      }
      await running;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
