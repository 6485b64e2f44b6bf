import { beforeEach, describe, expect, it } from "vitest";
import type { UserRole } from "@/lib/permissions";
import { ADMIN, expectDomainError, newTask, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { listClientAccountManagers, putClientAccountManagers } from "./account-managers";
import { putEscalationPolicies } from "./levels";
import { raiseEscalation } from "./raise";
import { runEscalationSweeps } from "./sweeps";
import { resetTables } from "./test-helpers";

// Policy level "account managers of the client" (issue 11, item 5), on real PostgreSQL with the
// fake clock: the client → account managers list, validated; resolved to the people when an
// escalation is raised or reaches that level; the team when the client has nobody.

const h = setupEngine();
const MINUTE = 60_000;
const SYSTEM = { id: "task-orchestrator/escalation", role: "system" } as const;

async function user(email: string, role: UserRole, active = true) {
  await h.ctx.prisma.user.create({
    data: {
      id: email,
      email,
      name: email,
      role,
      active,
      passwordHash: "x",
      createdAt: h.clock.now(),
      updatedAt: h.clock.now(),
    },
  });
}

beforeEach(async () => {
  await resetTables(h.ctx);
  await h.ctx.prisma.user.deleteMany();
  await user("amy@agence.fr", "account_manager");
  await user("ben@agence.fr", "account_manager");
  await user("olga@agence.fr", "operator");
  await user("gone@agence.fr", "account_manager", false);
});

/** A standing escalation (a cycle: nothing resolves it by itself) for a task of `client`. */
async function raiseFor(client: string | null, queue: "normal" | "high_priority" = "normal") {
  const task = await newTask(h.ctx, {
    queue: { name: queue },
    ...(client ? { context: { client: { name: client } } } : {}),
  });
  const { escalation } = await inTransaction(h.ctx, (tx, at) =>
    raiseEscalation(tx, at, { task, reason: "dependency_conflict", context: { conflict: "cycle" } }, SYSTEM),
  );
  return escalation;
}

describe("a client's account managers", () => {
  it("are set by an admin, in order, and listed", async () => {
    const view = await putClientAccountManagers(
      h.ctx,
      "StartupIO",
      ["ben@agence.fr", "AMY@agence.fr"],
      ADMIN,
    );
    expect(view).toEqual({ client: "StartupIO", account_managers: ["ben@agence.fr", "amy@agence.fr"] });
    await putClientAccountManagers(h.ctx, "FinTrack", ["amy@agence.fr"], ADMIN);
    expect(await listClientAccountManagers(h.ctx.prisma)).toEqual([
      { client: "FinTrack", account_managers: ["amy@agence.fr"] },
      { client: "StartupIO", account_managers: ["ben@agence.fr", "amy@agence.fr"] },
    ]);
    expect(await putClientAccountManagers(h.ctx, "FinTrack", [], ADMIN)).toEqual({
      client: "FinTrack",
      account_managers: [],
    });
    expect((await listClientAccountManagers(h.ctx.prisma)).map((c) => c.client)).toEqual(["StartupIO"]);
  });

  it("refuse an unknown, inactive, unfit or repeated user with a 400 naming the field; nothing changed", async () => {
    await putClientAccountManagers(h.ctx, "StartupIO", ["amy@agence.fr"], ADMIN);
    const cases: [string[], string][] = [
      [["ghost@agence.fr"], "account_managers.0"],
      [["amy@agence.fr", "gone@agence.fr"], "account_managers.1"],
      [["olga@agence.fr"], "account_managers.0"],
      [["ben@agence.fr", "ben@agence.fr"], "account_managers.1"],
    ];
    for (const [emails, field] of cases) {
      const error = await expectDomainError(
        putClientAccountManagers(h.ctx, "StartupIO", emails, ADMIN),
        "VALIDATION",
      );
      expect((error.details.fields ?? []).map((f) => f.path)).toEqual([field]);
    }
    expect(await listClientAccountManagers(h.ctx.prisma)).toEqual([
      { client: "StartupIO", account_managers: ["amy@agence.fr"] },
    ]);
  });

  it("receive the client's escalations at a client_account_managers level: raised, then escalated", async () => {
    await putClientAccountManagers(h.ctx, "StartupIO", ["ben@agence.fr", "amy@agence.fr"], ADMIN);
    await putClientAccountManagers(h.ctx, "FinTrack", ["amy@agence.fr"], ADMIN);
    await putEscalationPolicies(
      h.ctx,
      [
        {
          queue: null,
          reason: null,
          levels: [
            { target: "client_account_managers", delay_minutes: 60 },
            { target: "operator", delay_minutes: null },
          ],
        },
        {
          queue: "high_priority",
          reason: "dependency_conflict",
          levels: [
            { target: "operator", delay_minutes: 30 },
            { target: "client_account_managers", delay_minutes: null },
          ],
        },
      ],
      ADMIN,
    );
    expect((await raiseFor("StartupIO")).escalatedTo).toBe("user:ben@agence.fr,user:amy@agence.fr");
    // A client nobody looks after, or no client: the account managers' team.
    expect((await raiseFor("Inconnu SA")).escalatedTo).toBe("account_manager");
    expect((await raiseFor(null)).escalatedTo).toBe("account_manager");

    const technical = await raiseFor("FinTrack", "high_priority");
    expect(technical.escalatedTo).toBe("operator");
    h.clock.advance(30 * MINUTE);
    await runEscalationSweeps(h.ctx);
    const moved = await h.ctx.prisma.escalation.findUniqueOrThrow({ where: { id: technical.id } });
    expect([moved.level, moved.escalatedTo]).toEqual([2, "user:amy@agence.fr"]);
  });

  it("is a policy target that needs somebody in the account managers' team to fall back on", async () => {
    await h.ctx.prisma.user.updateMany({ where: { role: "account_manager" }, data: { active: false } });
    const error = await expectDomainError(
      putEscalationPolicies(
        h.ctx,
        [{ queue: null, reason: null, levels: [{ target: "client_account_managers", delay_minutes: null }] }],
        ADMIN,
      ),
      "VALIDATION",
    );
    expect((error.details.fields ?? []).map((f) => f.path)).toEqual(["policies.0.levels.0.target"]);
  });
});
