import type { EngineContext } from "../context";
import { inTransaction } from "../state/transaction";
import { writeAudit } from "../tracking/audit";
import { CLIENT_INTAKE_ID, newestEventId } from "./webhooks-out";

// client-intake notifications (SPEC §3 step 5: "notify client-intake so the client can be
// updated"). Not a separate sender: a built-in subscription (id "client-intake", kind
// "client_intake") kept in line with CLIENT_INTAKE_URL / CLIENT_INTAKE_SECRET at start-up, so
// the notifications go through the same outbox, signatures, retries and delivery log as every
// webhook. The delivery sweep gives it only task.completed and task.escalated of tasks that
// came from an intake (they have an intake_id), as {type, timestamp, intake_id, task}.

export const CLIENT_INTAKE_EVENTS = ["task.completed", "task.escalated"];

const ACTOR = { id: "task-orchestrator/integrations", role: "system" as const };

export interface ClientIntakeConfig {
  url?: string;
  secret?: string;
}

/**
 * Creates, updates or disables the built-in subscription to match the environment. Idempotent,
 * safe when several instances start together. Returns whether notifications are on.
 */
export function syncClientIntakeSubscription(
  ctx: EngineContext,
  config: ClientIntakeConfig,
): Promise<boolean> {
  return inTransaction(ctx, async (tx, at) => {
    const since = await newestEventId(tx); // also serialises the instances starting together
    const current = await tx.webhookSubscription.findUnique({ where: { id: CLIENT_INTAKE_ID } });
    if (!config.url || !config.secret) {
      if (current?.enabled) {
        await tx.webhookSubscription.update({
          where: { id: CLIENT_INTAKE_ID },
          data: { enabled: false, updatedAt: at },
        });
        await writeAudit(tx, {
          at,
          actor: ACTOR,
          action: "webhook.updated",
          details: { webhook_id: CLIENT_INTAKE_ID, enabled: false, reason: "CLIENT_INTAKE_URL unset" },
        });
      }
      return false;
    }
    if (!current) {
      await tx.webhookSubscription.create({
        data: {
          id: CLIENT_INTAKE_ID,
          kind: "client_intake",
          name: "client-intake notifications",
          url: config.url,
          secret: config.secret,
          eventTypes: CLIENT_INTAKE_EVENTS,
          enabled: true,
          sinceEventId: since,
          createdAt: at,
          createdBy: ACTOR.id,
          updatedAt: at,
        },
      });
      await writeAudit(tx, {
        at,
        actor: ACTOR,
        action: "webhook.created",
        details: { webhook_id: CLIENT_INTAKE_ID, url: config.url, event_types: CLIENT_INTAKE_EVENTS },
      });
    } else if (current.url !== config.url || current.secret !== config.secret || !current.enabled) {
      await tx.webhookSubscription.update({
        where: { id: CLIENT_INTAKE_ID },
        data: {
          url: config.url,
          secret: config.secret,
          enabled: true,
          // Re-enabled after a pause: start from now rather than replaying the pause.
          ...(!current.enabled && { sinceEventId: since }),
          updatedAt: at,
        },
      });
      await writeAudit(tx, {
        at,
        actor: ACTOR,
        action: "webhook.updated",
        details: { webhook_id: CLIENT_INTAKE_ID, url: config.url, enabled: true },
      });
    }
    return true;
  });
}
