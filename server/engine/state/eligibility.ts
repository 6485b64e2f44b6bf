import type { PrismaClient } from "../../db/client";
import type { Actor, Tx } from "../context";
import { commitTaskChange, lockTask } from "./commit-change";

type Db = Tx | PrismaClient;

/** SQL: every blocker of the task aliased `alias` is COMPLETED (true when it has none). */
export function blockersDoneSql(alias = "t"): string {
  return `NOT EXISTS (SELECT 1 FROM task_dependencies dep JOIN tasks blk ON blk.id = dep.blocker_id
                      WHERE dep.dependent_id = ${alias}.id AND blk.state <> 'COMPLETED')`;
}

/**
 * SQL predicate the dispatcher uses: the task waits in its queue (QUEUED), all its blockers
 * are COMPLETED, and its planned date (scheduled queue) has come. `nowExpr` is the SQL for
 * "now", e.g. a bind parameter such as `$1` (read from the injected clock).
 */
export function eligibleSql(alias: string, nowExpr: string): string {
  return `(${alias}.state = 'QUEUED' AND ${alias}.archived_at IS NULL AND ${blockersDoneSql(alias)}
           AND (${alias}.scheduled_for IS NULL OR ${alias}.scheduled_for <= ${nowExpr}))`;
}

/** The task's blockers that are not COMPLETED yet, by id. */
export async function pendingBlockers(db: Db, taskId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT b.id FROM task_dependencies d JOIN tasks b ON b.id = d.blocker_id
    WHERE d.dependent_id = ${taskId} AND b.state <> 'COMPLETED' ORDER BY b.id`;
  return rows.map((r) => r.id);
}

/** Whether the dispatcher may pick the task now (see eligibleSql). */
export async function isEligible(db: Db, taskId: string, at: Date): Promise<boolean> {
  const rows = await db.$queryRawUnsafe<{ ok: boolean }[]>(
    `SELECT ${eligibleSql("t", "$2")} AS ok FROM tasks t WHERE t.id = $1`,
    taskId,
    at,
  );
  return rows[0]?.ok === true;
}

/**
 * After `blockerId` completed: every live dependent whose blockers are now all COMPLETED gets
 * a `task.unblocked_by_dependency` change (version, audit, event), so boards and the
 * dispatcher see it become eligible. Returns their ids.
 */
export async function releaseDependents(
  tx: Tx,
  at: Date,
  blockerId: string,
  actor: Actor,
): Promise<string[]> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT t.id FROM task_dependencies d JOIN tasks t ON t.id = d.dependent_id
     WHERE d.blocker_id = $1 AND t.state NOT IN ('COMPLETED', 'CANCELLED') AND ${blockersDoneSql("t")}
     ORDER BY t.id`,
    blockerId,
  );
  for (const { id } of rows) {
    const dependent = await lockTask(tx, id);
    await commitTaskChange(tx, dependent, {
      at,
      actor,
      action: "task.unblocked_by_dependency",
      details: { blocker: blockerId },
    });
  }
  return rows.map((r) => r.id);
}

/**
 * Hook for the parallel-executor: the parent whose subtasks are now all COMPLETED, or null.
 * The execution issue decides what to do with it (complete the parent, notify, …).
 */
export async function parentReadyToComplete(db: Db, parentId: string | null): Promise<string | null> {
  if (!parentId) return null;
  const rows = await db.$queryRaw<{ ready: boolean }[]>`
    SELECT bool_and(s.state = 'COMPLETED') AS ready FROM tasks s WHERE s.parent_task_id = ${parentId}`;
  return rows[0]?.ready === true ? parentId : null;
}
