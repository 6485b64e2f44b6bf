import { describe, expect, it } from "vitest";
import { ESCALATION_ACTOR, raiseEscalation } from "../escalation/raise";
import { newTask, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { boardCard, boardSnapshot } from "./board";

// The board's cards carry the urgency of their task's most urgent open escalation.

const h = setupEngine();

describe("board cards", () => {
  it("show the most urgent open escalation's urgency, none once it is resolved", async () => {
    const task = await newTask(h.ctx);
    const calm = await newTask(h.ctx);
    const raise = (reason: "sla_breach_imminent" | "blocked_over_24h", urgency: "medium" | "critical") =>
      inTransaction(h.ctx, (tx, at) =>
        raiseEscalation(tx, at, { task, reason, context: {}, urgency }, ESCALATION_ACTOR),
      );
    await raise("sla_breach_imminent", "medium");
    const { escalation } = await raise("blocked_over_24h", "critical");
    expect((await boardCard(h.ctx.prisma, task.id))?.escalationUrgency).toBe("critical");
    const cards = (await boardSnapshot(h.ctx.prisma, h.clock)).cards;
    expect(cards.find((c) => c.id === task.id)?.escalationUrgency).toBe("critical");
    expect(cards.find((c) => c.id === calm.id)?.escalationUrgency).toBeNull();

    await h.ctx.prisma.escalation.update({
      where: { id: escalation.id },
      data: { status: "RESOLVED", openKey: null },
    });
    expect((await boardCard(h.ctx.prisma, task.id))?.escalationUrgency).toBe("medium");
  });
});
