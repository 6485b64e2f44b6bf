import fc from "fast-check";
import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import { historyOf, newTask, setupEngine } from "../state/test-support";
import { dispatchOnce } from "./dispatcher";
import { LEASE_SWEEP_LOCK_KEY, sweepExpiredLeases } from "./lease-sweep";
import { DEFAULT_LEASE_MS, LEASE_EXPIRED_ERROR } from "./leases";
import { backoffMs, DEFAULT_RETRY_POLICY, shouldGiveUp } from "./retry-policy";
import { resetTasks } from "./testing/support";
import { claimTasks, failWork } from "./worker-protocol";

const h = setupEngine({ poolSize: 6 });
const half = () => 0.5;

beforeEach(async () => {
  await resetTasks(h.ctx);
});

describe("retry policy", () => {
  it("waits 30 s, 60 s, 120 s … capped at 30 min, ±20 % jitter", () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffMs(n, DEFAULT_RETRY_POLICY, half))).toEqual([
      30_000, 60_000, 120_000, 240_000, 1_800_000,
    ]);
    expect(backoffMs(0, DEFAULT_RETRY_POLICY, () => 0)).toBe(24_000);
    expect(backoffMs(0, DEFAULT_RETRY_POLICY, () => 0.999999)).toBe(36_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
        const exact = Math.min(1_800_000, 30_000 * 2 ** n);
        const delay = backoffMs(n, DEFAULT_RETRY_POLICY, () => r);
        return delay >= Math.floor(exact * 0.8) && delay <= Math.ceil(exact * 1.2);
      }),
    );
  });

  it("gives up on an unrecoverable error or after the 3rd retry failed", () => {
    expect([0, 1, 2, 3].map((n) => shouldGiveUp(n, true))).toEqual([false, false, false, true]);
    expect(shouldGiveUp(0, false)).toBe(true);
  });
});

describe("lease expiry and retries", () => {
  async function runningTask(skill = "backend") {
    const task = await newTask(h.ctx, {
      queue: { name: "normal" },
      definition: { title: "flaky", skill_target: skill },
    });
    await dispatchOnce(h.ctx);
    await claimTasks(h.ctx, { workerId: "w1", skills: [skill] });
    return task;
  }
  const load = (id: string) => h.ctx.prisma.task.findUniqueOrThrow({ where: { id } });

  it("fails a task whose lease ran out, retries it after the backoff, and gives up after 3 failed retries", async () => {
    const task = await runningTask();
    const dependent = await newTask(h.ctx, { dependencies: { blocked_by: [task.id] } });

    // Not yet expired: the sweep leaves it.
    h.clock.advance(DEFAULT_LEASE_MS - 1);
    expect((await sweepExpiredLeases(h.ctx, { random: half })).expired).toEqual([]);

    const expectedDelays = [30_000, 60_000, 120_000];
    for (const [attempt, delay] of expectedDelays.entries()) {
      h.clock.advance(DEFAULT_LEASE_MS + 1);
      const sweep = await sweepExpiredLeases(h.ctx, { random: half });
      expect(sweep).toEqual({ ran: true, expired: [task.id] });
      const failed = await load(task.id);
      expect([failed.state, failed.lastError, failed.retryCount]).toEqual([
        "FAILED",
        LEASE_EXPIRED_ERROR,
        attempt,
      ]);
      expect(failed.nextRetryAt?.getTime()).toBe(h.clock.now().getTime() + delay);

      // Not before the backoff has elapsed…
      h.clock.advance(delay - 1_000);
      expect((await dispatchOnce(h.ctx)).restarted).toEqual([]);
      // …then the retry: FAILED → IN_PROGRESS with no lease, claimed again by a worker of the skill.
      h.clock.advance(1_000);
      expect((await dispatchOnce(h.ctx)).restarted).toEqual([task.id]);
      const retried = await load(task.id);
      expect([retried.state, retried.retryCount, retried.leaseExpiresAt, retried.nextRetryAt]).toEqual([
        "IN_PROGRESS",
        attempt + 1,
        null,
        null,
      ]);
      expect(
        (await claimTasks(h.ctx, { workerId: `w${attempt + 2}`, skills: ["backend"] })).tasks.map(
          (t) => t.id,
        ),
      ).toEqual([task.id]);
    }

    // The 3rd retry's lease runs out too: no more retries, an escalation, a conflict for the dependent.
    h.clock.advance(DEFAULT_LEASE_MS + 1);
    await sweepExpiredLeases(h.ctx, { random: half });
    const gaveUp = await load(task.id);
    expect([gaveUp.state, gaveUp.retryCount, gaveUp.nextRetryAt]).toEqual(["FAILED", 3, null]);
    const escalations = await h.ctx.prisma.escalation.findMany({ where: { taskId: task.id } });
    expect(escalations.map((e) => [e.reason, e.status, e.openKey])).toEqual([
      ["retries_exhausted", "OPEN", `${task.id}:retries_exhausted`],
    ]);
    expect(escalations[0]?.context).toMatchObject({
      current_state: "FAILED",
      last_error: LEASE_EXPIRED_ERROR,
      retry_count: 3,
    });
    const conflict = await h.ctx.prisma.escalation.findFirst({ where: { taskId: dependent.id } });
    expect(conflict?.reason).toBe("dependency_conflict");

    h.clock.advanceHours(24);
    expect((await dispatchOnce(h.ctx)).restarted).toEqual([]);
    const states = (await historyOf(h.ctx, task.id)).map((r) => r.state);
    expect(states.filter((s) => s === "FAILED")).toHaveLength(4);
    expect(states.filter((s) => s === "IN_PROGRESS")).toHaveLength(4);
  });

  it("gives up at once on an unrecoverable error", async () => {
    const task = await runningTask();
    const outcome = await failWork(h.ctx, task.id, "w1", {
      error: "Invalid brief: no budget",
      recoverable: false,
    });
    expect([outcome.gaveUp, outcome.nextRetryAt, outcome.result.task.state]).toEqual([
      "unrecoverable_error",
      null,
      "FAILED",
    ]);
    const escalation = await h.ctx.prisma.escalation.findUniqueOrThrow({
      where: { id: outcome.escalationId! },
    });
    expect(escalation).toMatchObject({
      reason: "unrecoverable_error",
      escalatedTo: "operator",
      urgency: "high",
    });
    h.clock.advanceHours(1);
    expect((await dispatchOnce(h.ctx)).restarted).toEqual([]);
  });

  it("retries a worker's recoverable failure, counting it", async () => {
    const task = await runningTask();
    await failWork(h.ctx, task.id, "w1", { error: "rate limited", recoverable: true }, { random: half });
    h.clock.advance(30_000);
    expect((await dispatchOnce(h.ctx)).restarted).toEqual([task.id]);
    const audit = await h.ctx.prisma.auditLog.findFirst({ where: { taskId: task.id, fromState: "FAILED" } });
    expect(audit).toMatchObject({ toState: "IN_PROGRESS", reason: "retry 1" });
  });

  it("sweeps once across processes: a sweep skips while another holds the sweep lock", async () => {
    const task = await runningTask();
    h.clock.advance(DEFAULT_LEASE_MS + 1);
    const other = new pg.Client({ connectionString: h.db.url });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT pg_advisory_xact_lock($1::bigint)", [LEASE_SWEEP_LOCK_KEY]);
      expect(await sweepExpiredLeases(h.ctx)).toEqual({ ran: false, expired: [] });
      await other.query("COMMIT");
    } finally {
      await other.end();
    }
    expect(await sweepExpiredLeases(h.ctx)).toEqual({ ran: true, expired: [task.id] });
  });
});
