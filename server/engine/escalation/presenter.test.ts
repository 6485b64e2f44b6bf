import { beforeEach, describe, expect, it } from "vitest";
import type { EscalationReason, EscalationUrgency } from "@/lib/escalations";
import { escalationListQuery, escalationViewSchema } from "@/lib/schemas/escalations";
import { expectDomainError, MANAGER, newTask, SYSTEM, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { acknowledgeEscalation, assignEscalation, resolveEscalation } from "./inbox";
import { countOpenEscalations, listEscalations, loadEscalationView } from "./presenter";
import { raiseEscalation } from "./raise";
import { resetTables } from "./test-helpers";

const h = setupEngine();
const HOUR = 3_600_000;

const START = "2026-03-02T09:00:00Z";

beforeEach(async () => {
  await resetTables(h.ctx);
  // The counts test moves the clock on; the others read times from this start, in any order.
  h.clock.set(START);
});

async function escalate(reason: EscalationReason, urgency: EscalationUrgency, deadlineInHours: number) {
  const task = await newTask(h.ctx, { definition: { title: `${reason} ${urgency}`, type: "analysis" } });
  const deadline = new Date(h.clock.now().getTime() + deadlineInHours * HOUR);
  const { escalation } = await inTransaction(h.ctx, (tx, at) =>
    raiseEscalation(tx, at, { task, reason, urgency, deadline, context: {} }, SYSTEM),
  );
  return { task, escalation };
}

const query = (q: Record<string, unknown> = {}) => escalationListQuery.parse(q);

describe("the inbox list", () => {
  it("shows the open ones, most urgent first then soonest deadline, in the seed's format", async () => {
    const lowSoon = await escalate("sla_breached", "low", 1);
    const highLate = await escalate("blocked_over_24h", "high", 5);
    const critical = await escalate("retries_exhausted", "critical", 9);
    const highSoon = await escalate("unrecoverable_error", "high", 2);
    const resolved = await escalate("dependency_conflict", "critical", 0.5);
    await resolveEscalation(h.ctx, resolved.escalation.id, MANAGER, { note: "ok" });
    await acknowledgeEscalation(h.ctx, highLate.escalation.id, MANAGER);

    const page = await listEscalations(h.ctx.prisma, query());
    expect(page.escalations.map((e) => e.id)).toEqual(
      [critical, highSoon, highLate, lowSoon].map((x) => x.escalation.id),
    );
    expect(page.next_cursor).toBeNull();
    const [first] = page.escalations;
    expect(escalationViewSchema.strict().parse(first)).toBeTruthy();
    expect(first).toEqual({
      id: critical.escalation.id,
      status: "OPEN",
      escalation: {
        task_id: critical.task.id,
        reason: "retries_exhausted",
        urgency: "critical",
        context: {},
        suggested_action: critical.escalation.suggestedAction,
        escalated_to: "operator",
        deadline: critical.escalation.deadline.toISOString(),
      },
      context_at_raise: {},
      assignee: null,
      resolution: null,
      resolved_by: null,
      level: {
        number: 1,
        of: 2,
        next_target: "client_account_managers",
        next_at: "2026-03-02T09:30:00.000Z",
      },
      created_at: h.clock.now().toISOString(),
      acknowledged_at: null,
      resolved_at: null,
      version: 1,
      task: {
        id: critical.task.id,
        title: "retries_exhausted critical",
        state: "QUEUED",
        queue: "normal",
        version: critical.task.version,
        client_name: null,
        client_contact: null,
        blocker_reason: null,
        blocked_since: null,
        sla_deadline: critical.task.slaDeadline!.toISOString(),
      },
    });
  });

  it("filters by status, reason, task, target and assignee (me)", async () => {
    const a = await escalate("blocked_over_24h", "high", 1);
    const b = await escalate("sla_breached", "critical", 1);
    const c = await escalate("retries_exhausted", "high", 2);
    await resolveEscalation(h.ctx, c.escalation.id, MANAGER, { note: "done" });
    await assignEscalation(h.ctx, b.escalation.id, MANAGER, { assignee: "me" });
    const ids = async (q: Record<string, unknown>, viewer?: string) =>
      (await listEscalations(h.ctx.prisma, query(q), viewer)).escalations.map((e) => e.id);

    expect(await ids({ status: "RESOLVED" })).toEqual([c.escalation.id]);
    expect(await ids({ status: ["OPEN", "RESOLVED"] })).toEqual([a, c].map((x) => x.escalation.id));
    expect(await ids({ status: "ACKNOWLEDGED" })).toEqual([b.escalation.id]);
    expect(await ids({ reason: "blocked_over_24h,sla_breached" })).toEqual(
      [b, a].map((x) => x.escalation.id),
    );
    expect(await ids({ task_id: a.task.id })).toEqual([a.escalation.id]);
    expect(await ids({ escalated_to: "account_manager" })).toEqual([b, a].map((x) => x.escalation.id));
    expect(await ids({ assignee: "me" }, MANAGER.id)).toEqual([b.escalation.id]);
    expect(await ids({ assignee: "user:someone-else" })).toEqual([]);
  });

  it("pages with a cursor, without repeats or gaps; a bad cursor is a VALIDATION error", async () => {
    const made = [];
    for (const [urgency, hours] of [
      ["high", 3],
      ["critical", 2],
      ["high", 1],
      ["medium", 1],
      ["high", 1],
    ] as const) {
      made.push(await escalate("blocked_over_24h", urgency, hours));
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 5; i += 1) {
      const page = await listEscalations(h.ctx.prisma, query({ limit: "2", ...(cursor ? { cursor } : {}) }));
      seen.push(...page.escalations.map((e) => e.id));
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
    const all = (await listEscalations(h.ctx.prisma, query())).escalations.map((e) => e.id);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(5);
    const error = await expectDomainError(
      listEscalations(h.ctx.prisma, query({ cursor: "garbage" })),
      "VALIDATION",
    );
    expect(error.details.fields?.[0]?.path).toBe("cursor");
  });

  it("loads one view, or null", async () => {
    const { escalation } = await escalate("sla_breached", "critical", 1);
    expect((await loadEscalationView(h.ctx.prisma, escalation.id))?.escalation.reason).toBe("sla_breached");
    expect(await loadEscalationView(h.ctx.prisma, "ESC-00000000-0000-0000-0000-000000000000")).toBeNull();
  });
});

describe("the open count (nav badge)", () => {
  it("counts open, unacknowledged, overdue and by urgency; resolved ones do not count", async () => {
    expect(await countOpenEscalations(h.ctx.prisma, h.clock.now())).toEqual({
      open: 0,
      unacknowledged: 0,
      overdue: 0,
      by_urgency: { critical: 0, high: 0, medium: 0, low: 0 },
    });
    const a = await escalate("blocked_over_24h", "critical", 1);
    await escalate("sla_breached", "high", 3);
    await escalate("retries_exhausted", "high", 5);
    const d = await escalate("unrecoverable_error", "low", 1);
    await acknowledgeEscalation(h.ctx, a.escalation.id, MANAGER);
    await resolveEscalation(h.ctx, d.escalation.id, MANAGER, { note: "done" });
    h.clock.advanceHours(4);
    expect(await countOpenEscalations(h.ctx.prisma, h.clock.now())).toEqual({
      open: 3,
      unacknowledged: 2,
      overdue: 2,
      by_urgency: { critical: 1, high: 2, medium: 0, low: 0 },
    });
  });
});
