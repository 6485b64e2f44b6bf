import type { SeedTask } from "@/lib/seed-format";
import type { Escalation } from "../../db/generated/client";
import { toSeedEscalation } from "../escalation/format";

// The bodies receivers get. Outbound webhooks follow the Standard Webhooks payload shape
// {type, timestamp, data}; client-intake gets {type, timestamp, intake_id, task}.

export interface EventFacts {
  id: bigint;
  at: Date;
  /** The events row's type: the engine action ("task.transitioned", "escalation.raised"…). */
  action: string;
  /** The webhook type (event-types.ts). */
  type: string;
  taskId: string | null;
  version: number | null;
  payload: unknown;
}

export interface EscalationPayload extends Record<string, unknown> {
  id: string;
  status: string;
}

export function escalationPayload(row: Escalation): EscalationPayload {
  return { id: row.id, status: row.status, ...toSeedEscalation(row).escalation };
}

function changeOf(event: EventFacts) {
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  return {
    event_id: event.id.toString(),
    action: event.action,
    version: event.version,
    ...(typeof payload.from === "string" ? { from: payload.from } : {}),
    ...(typeof payload.to === "string" ? { to: payload.to } : {}),
  };
}

/**
 * A subscription's message for an event. The task is as it was when the delivery was prepared
 * (usually the change's version; `data.change.version` is the version the change produced).
 */
export function webhookMessage(
  event: EventFacts,
  task: SeedTask | null,
  escalation: Escalation | null,
): Record<string, unknown> {
  const data: Record<string, unknown> = event.type.startsWith("escalation.")
    ? { escalation: escalation ? escalationPayload(escalation) : null, task, change: changeOf(event) }
    : { task, change: changeOf(event) };
  return { type: event.type, timestamp: event.at.toISOString(), data };
}

/** client-intake's notification (SPEC §3 step 5): the task finished or was escalated. */
export function clientIntakeMessage(
  type: "task.completed" | "task.escalated",
  event: EventFacts,
  task: SeedTask,
  escalation: Escalation | null,
): Record<string, unknown> {
  return {
    type,
    timestamp: event.at.toISOString(),
    intake_id: task.intake_id,
    task,
    ...(type === "task.escalated" && escalation ? { escalation: escalationPayload(escalation) } : {}),
  };
}

export function testMessage(subscriptionId: string, at: Date): Record<string, unknown> {
  return {
    type: "webhook.test",
    timestamp: at.toISOString(),
    data: { webhook_id: subscriptionId, message: "A test message from Task Orchestrator" },
  };
}
