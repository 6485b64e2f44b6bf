import type { Actor, EngineContext, Tx } from "../context";
import { validationError } from "../errors";
import { inTransaction } from "../state/transaction";
import { writeAudit } from "../tracking/audit";
import { recordEvent } from "../tracking/events";

// A client's account managers (issue 11, item 5). Clients are named on tasks
// (context.client.name); this is the agency's list of who looks after each one, in order. An
// escalation policy level "client_account_managers" is resolved here, when an escalation is
// raised or reaches that level, to those people: `escalated_to` = "user:<email>" (several,
// comma-separated). A task without a client, or a client nobody looks after, goes to the
// account managers' team ("account_manager") instead: never to nobody.

export const CLIENT_ACCOUNT_MANAGERS = "client_account_managers";
/** Who an escalation goes to when the client has no account manager of its own. */
const FALLBACK = "account_manager";
/** Roles that may look after a client: those whose work the escalation inbox is. */
const MANAGING_ROLES = ["account_manager", "admin"];

export interface ClientAccountManagersView {
  client: string;
  /** Emails, in order. */
  account_managers: string[];
}

export async function listClientAccountManagers(db: Tx): Promise<ClientAccountManagersView[]> {
  const rows = await db.clientAccountManager.findMany({
    include: { user: { select: { email: true } } },
    orderBy: [{ clientName: "asc" }, { position: "asc" }],
  });
  const byClient = new Map<string, string[]>();
  for (const row of rows)
    byClient.set(row.clientName, [...(byClient.get(row.clientName) ?? []), row.user.email]);
  return [...byClient].map(([client, account_managers]) => ({ client, account_managers }));
}

/**
 * Replaces one client's account managers (admins). Each must be an active user who may look
 * after a client; an unknown, inactive, unfit or repeated one is a 400 naming
 * `account_managers.N`, nothing changed. An empty list removes the client's own managers.
 */
export function putClientAccountManagers(
  ctx: EngineContext,
  client: string,
  emails: string[],
  actor: Actor,
): Promise<ClientAccountManagersView> {
  return inTransaction(ctx, async (tx, at) => {
    const users = await tx.user.findMany({
      where: { email: { in: emails, mode: "insensitive" } },
      select: { id: true, email: true, role: true, active: true },
    });
    const seen = new Set<string>();
    const issues: { path: string; message: string }[] = [];
    const ids: string[] = [];
    emails.forEach((email, i) => {
      const path = `account_managers.${i}`;
      const user = users.find((u) => u.email.toLowerCase() === email.toLowerCase());
      if (!user?.active) issues.push({ path, message: `No active account manager ${email}` });
      else if (!MANAGING_ROLES.includes(user.role))
        issues.push({ path, message: `${email} (${user.role}) is not an account manager` });
      else if (seen.has(user.id)) issues.push({ path, message: `${email} is listed twice` });
      else ids.push(user.id);
      if (user) seen.add(user.id);
    });
    if (issues.length > 0) throw validationError(issues);
    await tx.clientAccountManager.deleteMany({ where: { clientName: client } });
    await tx.clientAccountManager.createMany({
      data: ids.map((userId, position) => ({
        clientName: client,
        userId,
        position,
        updatedAt: at,
        updatedBy: actor.id,
      })),
    });
    await writeAudit(tx, {
      at,
      actor,
      action: "client.account_managers_changed",
      details: { client, account_managers: emails },
    });
    await recordEvent(tx, { at, type: "client.account_managers_changed", taskId: null });
    const view = (await listClientAccountManagers(tx)).find((v) => v.client === client);
    return view ?? { client, account_managers: [] };
  });
}

/**
 * A policy level's target as `escalated_to` for this task: "client_account_managers" becomes
 * the task's client's active account managers ("user:a@…,user:b@…"), else the team; any other
 * target is already a team or a person.
 */
export async function resolveLevelTarget(tx: Tx, target: string, taskId: string): Promise<string> {
  if (target !== CLIENT_ACCOUNT_MANAGERS) return target;
  const rows = await tx.$queryRaw<{ email: string }[]>`
    SELECT u.email FROM tasks t
    JOIN client_account_managers m ON m.client_name = t.client_name
    JOIN users u ON u.id = m.user_id AND u.active
    WHERE t.id = ${taskId}
    ORDER BY m.position`;
  return rows.length > 0 ? rows.map((r) => `user:${r.email}`).join(",") : FALLBACK;
}
