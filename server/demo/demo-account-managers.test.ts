import { describe, expect, it } from "vitest";
import { ensureDemoUsers } from "../auth/users";
import { listClientAccountManagers } from "../engine/escalation/account-managers";
import { raiseEscalation } from "../engine/escalation/raise";
import { newTask, setupEngine } from "../engine/state/test-support";
import { inTransaction } from "../engine/state/transaction";
import { DEMO_CLIENT_MANAGERS, seedDemoAccountManagers } from "./demo-account-managers";

describe("the demo clients' account managers", () => {
  const h = setupEngine();

  it("are seeded once, and the default policy sends a client's escalation to them", async () => {
    await ensureDemoUsers(h.ctx.prisma, h.clock);
    expect(await seedDemoAccountManagers(h.ctx.prisma, h.clock)).toBe(
      Object.keys(DEMO_CLIENT_MANAGERS).length,
    );
    expect(await seedDemoAccountManagers(h.ctx.prisma, h.clock)).toBe(0);
    const listed = Object.fromEntries(
      (await listClientAccountManagers(h.ctx.prisma)).map((c) => [c.client, c.account_managers]),
    );
    expect(listed).toEqual(DEMO_CLIENT_MANAGERS);

    // The migration's default policy: the client's own account managers first.
    const task = await newTask(h.ctx, { context: { client: { name: "MediCare+" } } });
    const { escalation } = await inTransaction(h.ctx, (tx, at) =>
      raiseEscalation(
        tx,
        at,
        { task, reason: "dependency_conflict", context: { conflict: "cycle" } },
        { id: "task-orchestrator/escalation", role: "system" },
      ),
    );
    expect(escalation.escalatedTo).toBe("user:claire@demo.local,user:manager@demo.local");
  });
});
