import { TASK_STATES } from "@/lib/states";
import { Prisma, type SlaPolicy } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { notFound, validationError } from "../errors";
import { inTransaction } from "../state/transaction";
import { writeAudit } from "../tracking/audit";
import { recordEvent } from "../tracking/events";
import { type BusinessCalendar, calendarIssues, type FieldIssue } from "./business-hours";
import { toClockPolicy } from "./clock-policies";
import { refreshSlaClocks } from "./refresh-sla";
import type { ClockStart } from "./sla-clock";

// The SLA clock policy of each queue, as data an admin edits (PUT /api/v1/queues/{name}/sla-policy).
// A queue without a row runs on DEFAULT_SLA_POLICY. Bad input is refused whole (400 naming each
// field), nothing written; a change is audited and re-read by every SLA clock refresh.

/** What the API shows and takes (snake_case, like the rest of the API). */
export interface SlaPolicyView {
  queue: string;
  pause_states: string[];
  pause_on_client_block: boolean;
  client_blocker_keywords: string[];
  pause_while_waiting_on_blockers: boolean;
  clock_starts: ClockStart;
  calendar: BusinessCalendar | null;
  /** 0 while the queue runs on the defaults (no row yet). */
  version: number;
  updated_at: string | null;
  updated_by: string | null;
}

export type SlaPolicyInput = Omit<SlaPolicyView, "queue" | "version" | "updated_at" | "updated_by">;

/** States that can never pause a clock: the clock is not running there anyway, or they are the work. */
const NOT_PAUSABLE = ["CREATED", "COMPLETED", "CANCELLED"];

function toView(queue: string, row: SlaPolicy | null): SlaPolicyView {
  const p = toClockPolicy(row);
  return {
    queue,
    pause_states: p.pauseStates,
    pause_on_client_block: p.pauseOnClientBlock,
    client_blocker_keywords: p.clientBlockerKeywords,
    pause_while_waiting_on_blockers: p.pauseWhileWaitingOnBlockers,
    clock_starts: p.clockStarts,
    calendar: p.calendar,
    version: row?.version ?? 0,
    updated_at: row?.updatedAt.toISOString() ?? null,
    updated_by: row?.updatedBy ?? null,
  };
}

async function assertQueue(tx: Tx, queue: string): Promise<void> {
  if (!(await tx.queue.findUnique({ where: { name: queue }, select: { name: true } })))
    throw notFound("Queue", queue);
}

export async function getSlaPolicy(db: Tx, queue: string): Promise<SlaPolicyView> {
  await assertQueue(db, queue);
  return toView(queue, await db.slaPolicy.findUnique({ where: { queueName: queue } }));
}

/** Every problem of a policy, each naming its field. Empty = valid. */
export function slaPolicyIssues(input: SlaPolicyInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  input.pause_states.forEach((state, i) => {
    if (!(TASK_STATES as readonly string[]).includes(state))
      issues.push({
        path: `pause_states.${i}`,
        message: `"${state}" is not a task state (${TASK_STATES.join(", ")})`,
      });
    else if (NOT_PAUSABLE.includes(state))
      issues.push({ path: `pause_states.${i}`, message: `${state} cannot pause an SLA clock` });
  });
  if (input.calendar) issues.push(...calendarIssues(input.calendar));
  return issues;
}

/** Replaces a queue's policy (admins); 400 naming every bad field, nothing written. */
export function putSlaPolicy(
  ctx: EngineContext,
  queue: string,
  input: SlaPolicyInput,
  actor: Actor,
): Promise<SlaPolicyView> {
  return inTransaction(ctx, async (tx, at) => {
    await assertQueue(tx, queue);
    const issues = slaPolicyIssues(input);
    if (issues.length > 0) throw validationError(issues);
    const data = {
      pauseStates: [...new Set(input.pause_states)],
      pauseOnClientBlock: input.pause_on_client_block,
      clientBlockerKeywords: input.client_blocker_keywords,
      pauseWhileWaitingOnBlockers: input.pause_while_waiting_on_blockers,
      clockStarts: input.clock_starts,
      calendar: input.calendar ? (input.calendar as unknown as Prisma.InputJsonObject) : Prisma.DbNull,
      updatedAt: at,
      updatedBy: actor.id,
    };
    const row = await tx.slaPolicy.upsert({
      where: { queueName: queue },
      create: { queueName: queue, ...data },
      update: { ...data, version: { increment: 1 } },
    });
    const view = toView(queue, row);
    // The queue's clocks follow the new policy at once (a queue's live tasks, in batches).
    let after: string | null | undefined;
    do after = (await refreshSlaClocks(tx, at, { queue, afterId: after ?? undefined, limit: 500 })).lastId;
    while (after);
    await writeAudit(tx, {
      at,
      actor,
      action: "queue.sla_policy_changed",
      details: { queue, policy: JSON.parse(JSON.stringify(view)) },
    });
    await recordEvent(tx, { at, type: "queue.sla_policy_changed", taskId: null, payload: { queue } });
    return view;
  });
}
