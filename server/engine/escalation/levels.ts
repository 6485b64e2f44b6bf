import type { EscalationPolicy } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { validationError } from "../errors";
import type { FieldIssue } from "../sla/business-hours";
import { inTransaction } from "../state/transaction";
import { writeAudit } from "../tracking/audit";
import { recordEvent } from "../tracking/events";
import { CLIENT_ACCOUNT_MANAGERS, resolveLevelTarget } from "./account-managers";
import { commitEscalationChange } from "./inbox";
import type { DueLevel } from "./sweep-due";

// Escalation policies with levels (README.md, "Levels"), as PagerDuty does, inside the product:
// per queue and/or reason (the most specific wins), an ordered list of levels — a team
// ("account_manager", "operator"), the task's client's account managers ("client_account_managers",
// account-managers.ts) or a named user ("user:<email>") — each with the minutes it has
// to acknowledge before the next level is called in. `escalated_to` names the current level.
// The default policy is seeded by the migration; admins replace the set with one PUT.

export const TEAM_TARGETS = ["account_manager", "operator"] as const;
/** Roles that may be a level's named user: those who may act on escalations. */
const ACTING_ROLES = ["admin", "account_manager", "operator"];

export interface EscalationLevel {
  target: string;
  /** Minutes unacknowledged before the next level; null on the last level. */
  delay_minutes: number | null;
}

export interface EscalationPolicyView {
  queue: string | null;
  reason: string | null;
  levels: EscalationLevel[];
}

const levelsOf = (row: EscalationPolicy): EscalationLevel[] => row.levels as unknown as EscalationLevel[];

/** The most specific policy for (queue, reason): both, reason only, queue only, the default. */
export function pickPolicy(
  policies: EscalationPolicy[],
  queue: string,
  reason: string,
): EscalationLevel[] | null {
  const score = (p: EscalationPolicy) =>
    (p.queueName !== null && p.queueName !== queue) || (p.reason !== null && p.reason !== reason)
      ? -1
      : (p.reason !== null ? 2 : 0) + (p.queueName !== null ? 1 : 0);
  const best = policies
    .map((p) => ({ p, s: score(p) }))
    .filter((x) => x.s >= 0)
    .sort((a, b) => b.s - a.s)[0];
  return best ? levelsOf(best.p) : null;
}

/**
 * Who an escalation of this reason goes to first, for this task in this queue (a client's
 * account managers resolved to the people); null without any policy.
 */
export async function firstLevelTarget(
  tx: Tx,
  task: { id: string; queueName: string },
  reason: string,
): Promise<string | null> {
  const target = pickPolicy(await tx.escalationPolicy.findMany(), task.queueName, reason)?.[0]?.target;
  return target ? resolveLevelTarget(tx, target, task.id) : null;
}

export interface LevelInfo {
  number: number;
  of: number;
  /** The next level's target, and when it is called in if nobody acknowledges; null on the last. */
  next_target: string | null;
  next_at: string | null;
}

/** Where an escalation stands in its policy. */
export function levelInfo(
  levels: EscalationLevel[] | null,
  level: number,
  since: Date | null,
  status: string,
): LevelInfo {
  const all = levels ?? [];
  const current = all[level - 1];
  const next = all[level];
  const due =
    status === "OPEN" && next && current?.delay_minutes != null && since
      ? new Date(since.getTime() + current.delay_minutes * 60_000).toISOString()
      : null;
  return { number: level, of: Math.max(all.length, level), next_target: next?.target ?? null, next_at: due };
}

/**
 * The sweep's rule: an OPEN (unacknowledged) escalation whose level's delay ran out goes to the
 * next level: escalated_to = its target, level + 1, audited "escalation.level_raised". An
 * acknowledged one stays where it is: somebody has it. `due` are those the sweep found due and
 * locked (sweep-due.ts: only those, never every open one: locking them all made each sweep write
 * a thousand rows); each is decided again here on the row as it is now (a breach upgraded in the
 * same pass started over at its first level).
 */
export async function raiseDueLevels(
  tx: Tx,
  at: Date,
  actor: Actor,
  due: readonly DueLevel[],
  limit = 200,
): Promise<number> {
  if (due.length === 0) return 0;
  const policies = await tx.escalationPolicy.findMany();
  // The rows in one read (they are locked already): a read per row made a sweep over a thousand
  // open ones take seconds.
  const rows = new Map(
    (await tx.escalation.findMany({ where: { id: { in: due.map((o) => o.id) } } })).map((e) => [e.id, e]),
  );
  let moved = 0;
  for (const { id, taskId, queue } of due) {
    if (moved >= limit) break;
    const escalation = rows.get(id);
    if (!escalation) continue;
    const levels = pickPolicy(policies, queue, escalation.reason);
    const info = levelInfo(levels, escalation.level, escalation.levelSince ?? escalation.createdAt, "OPEN");
    if (!info.next_at || new Date(info.next_at) > at || !info.next_target) continue;
    const to = await resolveLevelTarget(tx, info.next_target, taskId);
    await commitEscalationChange(tx, escalation, {
      at,
      actor,
      type: "escalation.level_raised",
      patch: { level: escalation.level + 1, levelSince: at, escalatedTo: to },
      reason: `Not acknowledged within ${levels![escalation.level - 1]!.delay_minutes} min`,
      details: { from: escalation.escalatedTo, to, level: escalation.level + 1 },
    });
    moved += 1;
  }
  return moved;
}

export async function listEscalationPolicies(db: Tx): Promise<EscalationPolicyView[]> {
  const rows = await db.escalationPolicy.findMany({ orderBy: { id: "asc" } });
  return rows.map((r) => ({ queue: r.queueName, reason: r.reason, levels: levelsOf(r) }));
}

async function policyIssues(tx: Tx, policies: EscalationPolicyView[]): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  const users = await tx.user.findMany({ where: { active: true }, select: { email: true, role: true } });
  const seen = new Set<string>();
  policies.forEach((p, i) => {
    const scope = `${p.queue ?? "*"}/${p.reason ?? "*"}`;
    if (seen.has(scope)) issues.push({ path: `policies.${i}`, message: `A second policy for ${scope}` });
    seen.add(scope);
    p.levels.forEach((level, j) => {
      const path = `policies.${i}.levels.${j}`;
      const last = j === p.levels.length - 1;
      if (level.target === CLIENT_ACCOUNT_MANAGERS) {
        // The client's own, else the team: the team must have somebody.
        if (!users.some((u) => u.role === "account_manager"))
          issues.push({ path: `${path}.target`, message: "Nobody active has the role account_manager" });
      } else if ((TEAM_TARGETS as readonly string[]).includes(level.target)) {
        if (!users.some((u) => u.role === level.target))
          issues.push({ path: `${path}.target`, message: `Nobody active has the role ${level.target}` });
      } else if (level.target.startsWith("user:")) {
        const email = level.target.slice(5).toLowerCase();
        const user = users.find((u) => u.email.toLowerCase() === email);
        if (!user) issues.push({ path: `${path}.target`, message: `No active user ${email}` });
        else if (!ACTING_ROLES.includes(user.role))
          issues.push({
            path: `${path}.target`,
            message: `${email} (${user.role}) cannot act on escalations`,
          });
      } else {
        issues.push({
          path: `${path}.target`,
          message: `"${level.target}" is nobody: account_manager, operator, client_account_managers or user:<email>`,
        });
      }
      if (!last && (level.delay_minutes === null || level.delay_minutes <= 0))
        issues.push({ path: `${path}.delay_minutes`, message: "A level before the last needs a delay > 0" });
    });
  });
  if (!policies.some((p) => p.queue === null && p.reason === null))
    issues.push({ path: "policies", message: "A default policy (queue and reason null) is required" });
  return issues;
}

/** Replaces every escalation policy at once (admins); 400 naming each bad field, nothing changed. */
export function putEscalationPolicies(
  ctx: EngineContext,
  policies: EscalationPolicyView[],
  actor: Actor,
): Promise<EscalationPolicyView[]> {
  return inTransaction(ctx, async (tx, at) => {
    const issues = await policyIssues(tx, policies);
    if (issues.length > 0) throw validationError(issues);
    await tx.escalationPolicy.deleteMany();
    await tx.escalationPolicy.createMany({
      data: policies.map((p) => ({
        queueName: p.queue,
        reason: p.reason,
        levels: p.levels.map((l) => ({ target: l.target, delay_minutes: l.delay_minutes })),
        updatedAt: at,
        updatedBy: actor.id,
      })),
    });
    await writeAudit(tx, {
      at,
      actor,
      action: "escalation.policies_changed",
      details: { policies: JSON.parse(JSON.stringify(policies)) },
    });
    await recordEvent(tx, { at, type: "escalation.policies_changed", taskId: null });
    return listEscalationPolicies(tx);
  });
}
