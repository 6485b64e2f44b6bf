import { beforeEach, describe, expect, it } from "vitest";
import { ADMIN, expectDomainError, MANAGER, setupEngine } from "../state/test-support";
import { acknowledgeEscalation } from "./inbox";
import { type EscalationPolicyView, listEscalationPolicies, putEscalationPolicies } from "./levels";
import { loadEscalationView } from "./presenter";
import { runEscalationSweeps } from "./sweeps";
import { resetTables, standingEscalation } from "./test-helpers";

// Escalation policies with levels (issue 11, item 5), with the fake clock.

const h = setupEngine();
const MINUTE = 60_000;

const DEFAULT_POLICIES: EscalationPolicyView[] = [
  {
    queue: null,
    reason: null,
    levels: [
      { target: "account_manager", delay_minutes: 60 },
      { target: "operator", delay_minutes: null },
    ],
  },
];

beforeEach(async () => {
  await resetTables(h.ctx);
  await h.ctx.prisma.user.deleteMany();
  for (const [id, role] of [
    ["u-am", "account_manager"],
    ["u-op", "operator"],
    ["u-lead", "admin"],
  ] as const) {
    await h.ctx.prisma.user.create({
      data: {
        id,
        email: `${id}@example.com`,
        name: id,
        role,
        passwordHash: "x",
        createdAt: h.clock.now(),
        updatedAt: h.clock.now(),
      },
    });
  }
});

const escalate = () => standingEscalation(h.ctx);

describe("the seeded default policy", () => {
  // A database of its own: the tests below replace the policies, in any order.
  const fresh = setupEngine();

  it("seeds a default policy: whoever is first, after how long the next", async () => {
    const policies = await listEscalationPolicies(fresh.ctx.prisma);
    // What involves the client goes to the client's own account managers first (else the team).
    expect(policies.find((p) => p.queue === null && p.reason === null)?.levels).toEqual([
      { target: "client_account_managers", delay_minutes: 60 },
      { target: "operator", delay_minutes: null },
    ]);
  });
});

describe("escalation levels", () => {
  it("a level-1 escalation unacknowledged for its delay moves to level 2; an acknowledged one stays", async () => {
    await putEscalationPolicies(
      h.ctx,
      [
        ...DEFAULT_POLICIES,
        {
          queue: "normal",
          reason: "dependency_conflict",
          levels: [
            { target: "account_manager", delay_minutes: 30 },
            { target: "user:u-lead@example.com", delay_minutes: 30 },
            { target: "operator", delay_minutes: null },
          ],
        },
      ],
      ADMIN,
    );
    const ignored = await escalate();
    const taken = await escalate();
    expect(ignored).toMatchObject({ escalatedTo: "account_manager", level: 1 });
    await acknowledgeEscalation(h.ctx, taken.id, MANAGER);

    h.clock.advance(29 * MINUTE);
    expect((await runEscalationSweeps(h.ctx)).levelsRaised).toBe(0);
    h.clock.advance(MINUTE);
    expect((await runEscalationSweeps(h.ctx)).levelsRaised).toBe(1);
    const view = await loadEscalationView(h.ctx.prisma, ignored.id, h.clock.now());
    expect(view?.escalation.escalated_to).toBe("user:u-lead@example.com");
    expect(view?.level).toEqual({
      number: 2,
      of: 3,
      next_target: "operator",
      next_at: new Date(h.clock.now().getTime() + 30 * MINUTE).toISOString(),
    });
    h.clock.advance(30 * MINUTE);
    await runEscalationSweeps(h.ctx);
    h.clock.advance(300 * MINUTE); // the last level stays
    await runEscalationSweeps(h.ctx);
    const [a, b] = await Promise.all(
      [ignored, taken].map((e) => h.ctx.prisma.escalation.findUniqueOrThrow({ where: { id: e.id } })),
    );
    expect([a?.level, a?.escalatedTo, b?.level, b?.escalatedTo]).toEqual([
      3,
      "operator",
      1,
      "account_manager",
    ]);
    const audit = await h.ctx.prisma.auditLog.findMany({ where: { action: "escalation.level_raised" } });
    expect(audit.map((x) => (x.details as { to: string }).to)).toEqual([
      "user:u-lead@example.com",
      "operator",
    ]);
  });

  it("a level pointing at nobody, a missing default or a duplicate scope is refused naming the field; nothing changed", async () => {
    const before = await listEscalationPolicies(h.ctx.prisma);
    const cases: [EscalationPolicyView[], string][] = [
      [
        [{ ...DEFAULT_POLICIES[0]!, levels: [{ target: "tech_lead", delay_minutes: null }] }],
        "policies.0.levels.0.target",
      ],
      [
        [{ ...DEFAULT_POLICIES[0]!, levels: [{ target: "user:ghost@example.com", delay_minutes: null }] }],
        "policies.0.levels.0.target",
      ],
      [[{ queue: "urgent", reason: null, levels: DEFAULT_POLICIES[0]!.levels }], "policies"],
      [[...DEFAULT_POLICIES, ...DEFAULT_POLICIES], "policies.1"],
      [
        [
          {
            ...DEFAULT_POLICIES[0]!,
            levels: [
              { target: "operator", delay_minutes: null },
              { target: "operator", delay_minutes: null },
            ],
          },
        ],
        "policies.0.levels.0.delay_minutes",
      ],
    ];
    for (const [policies, field] of cases) {
      const error = await expectDomainError(putEscalationPolicies(h.ctx, policies, ADMIN), "VALIDATION");
      expect((error.details.fields ?? []).map((f) => f.path)).toContain(field);
    }
    await h.ctx.prisma.user.updateMany({ where: { role: "operator" }, data: { active: false } });
    const error = await expectDomainError(
      putEscalationPolicies(h.ctx, DEFAULT_POLICIES, ADMIN),
      "VALIDATION",
    );
    expect(error.details.fields?.[0]).toEqual({
      path: "policies.0.levels.1.target",
      message: "Nobody active has the role operator",
    });
    expect(await listEscalationPolicies(h.ctx.prisma)).toEqual(before);
  });
});
