import type { Actor, EngineContext } from "../context";
import { commitTaskChange, lockTask } from "../state/commit-change";
import { inTransaction } from "../state/transaction";

// Archiving (SPEC §3 step 5 "archive when finished"): a task that reached COMPLETED or
// CANCELLED more than ARCHIVE_AFTER_DAYS ago gets metadata archived_at, through the one door
// (action "task.archived", no state change), so it is versioned, audited and pushed live like
// any change. Archived tasks leave the board and default lists but stay queryable
// (GET /api/v1/tasks?include_archived=true, GET /api/v1/tasks/{id}).
//
// Runs daily in every instance: rows are picked FOR UPDATE SKIP LOCKED and re-checked, so two
// instances never archive a task twice.

export const DEFAULT_ARCHIVE_AFTER_DAYS = 30;
export const ARCHIVE_ACTOR: Actor = { id: "task-orchestrator/archive", role: "system" };

export interface ArchiveOptions {
  afterDays?: number;
  /** Tasks per transaction. */
  batch?: number;
  /** Upper bound of tasks archived in one call. */
  limit?: number;
}

export async function archiveFinishedTasks(
  ctx: EngineContext,
  options: ArchiveOptions = {},
): Promise<string[]> {
  const afterDays = options.afterDays ?? DEFAULT_ARCHIVE_AFTER_DAYS;
  const batch = options.batch ?? 100;
  const limit = options.limit ?? 10_000;
  const archived: string[] = [];
  while (archived.length < limit) {
    const ids = await inTransaction(ctx, async (tx, at) => {
      const cutoff = new Date(at.getTime() - afterDays * 86_400_000);
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM tasks
        WHERE state IN ('COMPLETED', 'CANCELLED') AND archived_at IS NULL AND state_changed_at <= ${cutoff}
        ORDER BY state_changed_at, id
        LIMIT ${Math.min(batch, limit - archived.length)}
        FOR UPDATE SKIP LOCKED`;
      const done: string[] = [];
      for (const { id } of rows) {
        const task = await lockTask(tx, id);
        await commitTaskChange(tx, task, {
          at,
          actor: ARCHIVE_ACTOR,
          action: "task.archived",
          patch: { archivedAt: at },
          details: {
            after_days: afterDays,
            finished_at: task.stateChangedAt.toISOString(),
            state: task.state,
          },
        });
        done.push(id);
      }
      return done;
    });
    archived.push(...ids);
    if (ids.length < batch) break;
  }
  return archived;
}
