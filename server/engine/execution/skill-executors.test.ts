import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SeedTask } from "@/lib/seed-format";
import { waitFor } from "../../../test/wait-for";
import { logger } from "../../logger";
import { sweepEventsToDeliveries } from "../integrations/delivery-sweep";
import { DeliveryWorker } from "../integrations/delivery-worker";
import { type Receiver, startReceiver } from "../integrations/test-receiver";
import { createWebhook, listWebhooks } from "../integrations/webhooks-out";
import { transitionTask } from "../state/state-controller";
import {
  ADMIN,
  expectDomainError,
  forceState,
  historyOf,
  newTask,
  OPERATOR,
  setupEngine,
} from "../state/test-support";
import { dispatchOnce } from "./dispatcher";
import { sweepExpiredLeases } from "./lease-sweep";
import { LEASE_EXPIRED_ERROR, workerErrorCode } from "./leases";
import { Simulator } from "./simulator";
import {
  createExecutor,
  deleteExecutor,
  getExecutor,
  listExecutors,
  SKILL_EXECUTOR_SUBSCRIPTION_KIND,
  updateExecutor,
} from "./skill-executors";
import { resetTasks } from "./testing/support";
import { DISPATCHED_MESSAGE_TYPE } from "./webhook-push";
import { ANY_SKILL, claimTasks, completeWork, heartbeat } from "./worker-protocol";

// Executors per skill against a real PostgreSQL: configuration (validation, secrets, the hidden
// delivery channel), webhook pushes sent by the real delivery worker to a real receiver and
// verified with the reference library, lease expiry and retry when the receiver is down, human
// teams, and pull claims / the simulator leaving webhook and human skills alone.

const h = setupEngine({ poolSize: 8 });
const receivers: Receiver[] = [];

async function receiver(fallback: 200 | 503 = 200): Promise<Receiver> {
  const r = await startReceiver(fallback);
  receivers.push(r);
  return r;
}

const deliveryWorker = () => new DeliveryWorker(h.ctx, { random: () => 0.5, policy: { timeoutMs: 2_000 } });

beforeEach(async () => {
  await resetTasks(h.ctx);
  await h.ctx.prisma.skillExecutor.deleteMany();
  await h.ctx.prisma.webhookSubscription.deleteMany();
});

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

function taskFor(skill: string, extra: Parameters<typeof newTask>[1] = {}) {
  return newTask(h.ctx, {
    queue: { name: "normal" },
    definition: { title: `${skill} work`, type: "development", skill_target: skill },
    ...extra,
  });
}

const load = (id: string) => h.ctx.prisma.task.findUniqueOrThrow({ where: { id } });

async function deliveriesOf(subscriptionId: string) {
  return h.ctx.prisma.webhookDelivery.findMany({
    where: { subscriptionId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

async function channelOf(skill: string): Promise<string> {
  const row = await h.ctx.prisma.skillExecutor.findUniqueOrThrow({ where: { skill } });
  expect(row.subscriptionId).toMatch(/^sx_/);
  return row.subscriptionId as string;
}

function headersOf(request: { headers: Record<string, string | string[] | undefined> }) {
  return {
    "webhook-id": String(request.headers["webhook-id"]),
    "webhook-timestamp": String(request.headers["webhook-timestamp"]),
    "webhook-signature": String(request.headers["webhook-signature"]),
  };
}

describe("executor configuration", () => {
  it("makes a webhook executor with a secret shown once and a hidden delivery channel", async () => {
    const { executor, secret } = await createExecutor(
      h.ctx,
      { skill: "backend", kind: "webhook", url: "https://skills.example.com/backend" },
      ADMIN,
    );
    expect(secret).toMatch(/^whsec_/);
    expect(executor).toMatchObject({
      skill: "backend",
      kind: "webhook",
      enabled: true,
      url: "https://skills.example.com/backend",
      lease_seconds: 300,
      team: null,
      worker_id: "webhook:backend",
      created_by: ADMIN.id,
    });
    expect(executor.secret_hint).toBe(`${secret!.slice(0, 10)}…`);
    expect(JSON.stringify(await listExecutors(h.ctx))).not.toContain(secret!);

    const channel = await h.ctx.prisma.webhookSubscription.findUniqueOrThrow({
      where: { id: await channelOf("backend") },
    });
    expect(channel).toMatchObject({
      kind: SKILL_EXECUTOR_SUBSCRIPTION_KIND,
      url: "https://skills.example.com/backend",
      secret,
      eventTypes: [],
      enabled: true,
    });
    // Not an outbound subscription: /webhooks does not show it.
    await createWebhook(h.ctx, { url: "https://hooks.example.com/x" }, ADMIN);
    expect((await listWebhooks(h.ctx)).map((w) => w.url)).toEqual(["https://hooks.example.com/x"]);

    await expectDomainError(createExecutor(h.ctx, { skill: "backend", kind: "worker" }, ADMIN), "CONFLICT");
    expect(await h.ctx.prisma.auditLog.count({ where: { action: "executor.created" } })).toBe(1);
  });

  it("checks what each kind needs and refuses, naming the field", async () => {
    const cases = [
      [{ skill: "a", kind: "webhook" as const }, ["url"]],
      [{ skill: "a", kind: "human" as const }, ["team"]],
      [{ skill: "a", kind: "worker" as const, team: "ops", lease_seconds: 30 }, ["lease_seconds", "team"]],
      [{ skill: "a", kind: "human" as const, team: "ops", url: "https://x.example.com" }, ["url"]],
    ] as const;
    for (const [input, paths] of cases) {
      const error = await expectDomainError(createExecutor(h.ctx, input, ADMIN), "VALIDATION");
      expect(error.details.fields?.map((f) => f.path).sort(), JSON.stringify(input)).toEqual([...paths]);
    }
    expect(await h.ctx.prisma.skillExecutor.count()).toBe(0);
  });

  it("updates, rotates, changes kind and deletes, keeping the channel in line", async () => {
    const { secret: first } = await createExecutor(
      h.ctx,
      { skill: "devops", kind: "webhook", url: "https://a.example.com/hook", lease_seconds: 60 },
      ADMIN,
    );
    const channel = await channelOf("devops");

    const moved = await updateExecutor(h.ctx, "devops", { url: "https://b.example.com/hook" }, ADMIN);
    expect(moved.secret).toBeUndefined();
    expect(moved.executor).toMatchObject({ url: "https://b.example.com/hook", lease_seconds: 60 });
    const rotated = await updateExecutor(h.ctx, "devops", { rotate_secret: true }, ADMIN);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(first);
    expect(await h.ctx.prisma.webhookSubscription.findUnique({ where: { id: channel } })).toMatchObject({
      url: "https://b.example.com/hook",
      secret: rotated.secret,
    });

    const wrongField = await expectDomainError(
      updateExecutor(h.ctx, "devops", { team: "ops" }, ADMIN),
      "VALIDATION",
    );
    expect(wrongField.details.fields?.map((f) => f.path)).toEqual(["team"]);
    const noTeam = await expectDomainError(
      updateExecutor(h.ctx, "devops", { kind: "human" }, ADMIN),
      "VALIDATION",
    );
    expect(noTeam.details.fields?.map((f) => f.path)).toEqual(["team"]);

    const human = await updateExecutor(h.ctx, "devops", { kind: "human", team: "ops-team" }, ADMIN);
    expect(human.executor).toMatchObject({
      kind: "human",
      team: "ops-team",
      url: null,
      secret_hint: null,
      lease_seconds: null,
      worker_id: null,
    });
    expect(await h.ctx.prisma.webhookSubscription.findUnique({ where: { id: channel } })).toBeNull();

    const back = await updateExecutor(
      h.ctx,
      "devops",
      { kind: "webhook", url: "https://c.example.com" },
      ADMIN,
    );
    expect(back.secret).toMatch(/^whsec_/); // a new channel, a new secret
    expect(back.executor.lease_seconds).toBe(300);
    const newChannel = await channelOf("devops");

    await deleteExecutor(h.ctx, "devops", ADMIN);
    await expectDomainError(getExecutor(h.ctx, "devops"), "NOT_FOUND");
    await expectDomainError(updateExecutor(h.ctx, "devops", { enabled: false }, ADMIN), "NOT_FOUND");
    expect(await h.ctx.prisma.webhookSubscription.findUnique({ where: { id: newChannel } })).toBeNull();
    expect(
      (
        await h.ctx.prisma.auditLog.findMany({
          where: { action: { startsWith: "executor." } },
          orderBy: { id: "asc" },
        })
      ).map((a) => a.action),
    ).toEqual([
      "executor.created",
      "executor.updated",
      "executor.updated",
      "executor.updated",
      "executor.updated",
      "executor.deleted",
    ]);
  });
});

describe("webhook executors", () => {
  it("pushes a dispatched task, signed, and takes the skill's answers through the worker protocol", async () => {
    const r = await receiver();
    const { secret } = await createExecutor(
      h.ctx,
      { skill: "frontend", kind: "webhook", url: r.url, lease_seconds: 120 },
      ADMIN,
    );
    const task = await taskFor("frontend");
    const at = h.clock.now();
    const round = await dispatchOnce(h.ctx, { publicUrl: "https://orch.example.com/" });
    expect(round.scheduled).toEqual([task.id]);

    // In the dispatch's transaction: SCHEDULED, then IN_PROGRESS for webhook:frontend under its lease.
    const pushed = await load(task.id);
    expect(pushed).toMatchObject({
      state: "IN_PROGRESS",
      leaseOwner: "webhook:frontend",
      assignedTo: "webhook:frontend",
      startedAt: at,
    });
    expect(pushed.leaseExpiresAt?.getTime()).toBe(at.getTime() + 120_000);
    expect((await historyOf(h.ctx, task.id)).slice(-2).map((x) => [x.fromState, x.state, x.actor])).toEqual([
      ["QUEUED", "SCHEDULED", "task-orchestrator/execution"],
      ["SCHEDULED", "IN_PROGRESS", "worker:webhook:frontend"],
    ]);
    const [delivery] = await deliveriesOf(await channelOf("frontend"));
    expect(delivery).toMatchObject({ eventType: DISPATCHED_MESSAGE_TYPE, status: "pending", attempts: 0 });
    const event = await h.ctx.prisma.event.findUniqueOrThrow({ where: { id: delivery!.eventId! } });
    expect([event.taskId, event.type, event.version]).toEqual([task.id, "task.in_progress", pushed.version]);

    // The delivery worker sends it (never the outbox sweep: no second copy).
    await sweepEventsToDeliveries(h.ctx);
    expect(await deliveryWorker().runOnce()).toMatchObject({ claimed: 1, succeeded: 1 });
    const [request] = await r.waitFor(1);
    const message = new Webhook(secret!).verify(request!.body, headersOf(request!)) as {
      type: string;
      data: {
        task: SeedTask;
        worker_id: string;
        attempt: number;
        lease: { expires_at: string; duration_seconds: number };
        callbacks: Record<string, string>;
      };
    };
    expect(message.type).toBe("task.dispatched");
    expect(message.data).toMatchObject({
      worker_id: "webhook:frontend",
      attempt: 1,
      lease: { expires_at: pushed.leaseExpiresAt!.toISOString(), duration_seconds: 120 },
      callbacks: {
        heartbeat: `https://orch.example.com/api/v1/workers/tasks/${task.id}/heartbeat`,
        complete: `https://orch.example.com/api/v1/workers/tasks/${task.id}/complete`,
        fail: `https://orch.example.com/api/v1/workers/tasks/${task.id}/fail`,
        block: `https://orch.example.com/api/v1/workers/tasks/${task.id}/block`,
      },
    });
    expect(message.data.task).toMatchObject({
      id: task.id,
      definition: { skill_target: "frontend" },
      state: { current: "IN_PROGRESS", previous: "SCHEDULED" },
    });
    expect(r.requests).toHaveLength(1);

    // The skill answers as webhook:frontend.
    await heartbeat(h.ctx, task.id, "webhook:frontend", { progressPercent: 40 });
    const intruder = await expectDomainError(completeWork(h.ctx, task.id, "someone-else"), "CONFLICT");
    expect(workerErrorCode(intruder)).toBe("LEASE_NOT_HELD");
    const done = await completeWork(h.ctx, task.id, "webhook:frontend", { deliverables: ["site.zip"] });
    expect(done.task).toMatchObject({ state: "COMPLETED", leaseExpiresAt: null, progressPercent: 100 });
    expect((await getExecutor(h.ctx, "frontend")).deliveries).toEqual({
      pending: 0,
      succeeded: 1,
      failed: 0,
    });
  });

  it("retries the delivery while the receiver is down; lease expiry retries the task and pushes it again", async () => {
    const r = await receiver(503);
    const { secret } = await createExecutor(
      h.ctx,
      { skill: "qa", kind: "webhook", url: r.url, lease_seconds: 60 },
      ADMIN,
    );
    const channel = await channelOf("qa");
    const task = await taskFor("qa");
    await dispatchOnce(h.ctx);
    const worker = deliveryWorker();

    // Down: the attempt fails and is retried later (30 s backoff), the engine is not held up.
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    let [first] = await deliveriesOf(channel);
    expect(first).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 503 });
    expect(first!.nextAttemptAt!.getTime()).toBe(h.clock.now().getTime() + 30_000);
    h.clock.advance(30_000);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    [first] = await deliveriesOf(channel);
    expect(first!.attempts).toBe(2);

    // The skill never answered: the lease runs out → FAILED → retry with backoff.
    h.clock.advance(31_000);
    expect((await sweepExpiredLeases(h.ctx, { random: () => 0.5 })).expired).toEqual([task.id]);
    const failed = await load(task.id);
    expect(failed).toMatchObject({ state: "FAILED", lastError: LEASE_EXPIRED_ERROR, leaseExpiresAt: null });
    expect((await dispatchOnce(h.ctx)).restarted).toEqual([]); // backoff not over
    h.clock.set(failed.nextRetryAt!);

    // The retry pushes it again under a new lease; the older push is not sent any more.
    expect((await dispatchOnce(h.ctx)).restarted).toEqual([task.id]);
    const again = await load(task.id);
    expect(again).toMatchObject({ state: "IN_PROGRESS", retryCount: 1, leaseOwner: "webhook:qa" });
    expect(again.leaseExpiresAt!.getTime()).toBe(h.clock.now().getTime() + 60_000);
    const [old, fresh] = await deliveriesOf(channel);
    expect(old).toMatchObject({
      id: first!.id,
      status: "failed",
      lastError: expect.stringContaining("superseded"),
    });
    expect(fresh).toMatchObject({ status: "pending", attempts: 0 });

    // The receiver is back: the new push arrives, saying it is attempt 2.
    r.fallback = 200;
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, succeeded: 1 });
    const last = r.requests.at(-1)!;
    const message = new Webhook(secret!).verify(last.body, headersOf(last)) as { data: { attempt: number } };
    expect(message.data.attempt).toBe(2);
    expect(last.headers["webhook-id"]).toBe(fresh!.id);
    expect((await completeWork(h.ctx, task.id, "webhook:qa")).task.state).toBe("COMPLETED");
  });

  it("pushes webhook tasks that wait for an executor by other paths, and not when disabled", async () => {
    const r = await receiver();
    await createExecutor(h.ctx, { skill: "data", kind: "webhook", url: r.url, enabled: false }, ADMIN);
    const channel = await channelOf("data");
    const task = await taskFor("data");
    await dispatchOnce(h.ctx);
    // Disabled: as if unconfigured, the task waits SCHEDULED for a pull worker.
    expect(await load(task.id)).toMatchObject({ state: "SCHEDULED", leaseOwner: null });

    await updateExecutor(h.ctx, "data", { enabled: true }, ADMIN);
    const round = await dispatchOnce(h.ctx);
    expect(round.pushed).toEqual([task.id]);
    expect(await load(task.id)).toMatchObject({ state: "IN_PROGRESS", leaseOwner: "webhook:data" });

    // An operator's "start now" of a held task: IN_PROGRESS with no lease, pushed on the next round.
    const held = await taskFor("data");
    await transitionTask(h.ctx, held.id, "ON_HOLD", OPERATOR);
    await transitionTask(h.ctx, held.id, "IN_PROGRESS", OPERATOR);
    expect((await dispatchOnce(h.ctx)).pushed).toEqual([held.id]);
    expect(await load(held.id)).toMatchObject({ state: "IN_PROGRESS", leaseOwner: "webhook:data" });
    expect((await historyOf(h.ctx, held.id)).at(-1)?.state).toBe("IN_PROGRESS");
    expect((await deliveriesOf(channel)).map((d) => d.status)).toEqual(["pending", "pending"]);

    // Disabling drops the pushes not sent yet.
    await updateExecutor(h.ctx, "data", { enabled: false }, ADMIN);
    expect((await deliveriesOf(channel)).map((d) => [d.status, d.lastError])).toEqual([
      ["failed", "not sent: the skill's executor was disabled"],
      ["failed", "not sent: the skill's executor was disabled"],
    ]);
    expect(await deliveryWorker().runOnce()).toMatchObject({ claimed: 0 });
  });
});

describe("human executors", () => {
  it("assigns dispatched tasks to the team; no worker takes them; an operator starts and completes them", async () => {
    await createExecutor(h.ctx, { skill: "design-review", kind: "human", team: "design-team" }, ADMIN);
    const task = await taskFor("design-review");
    const preassigned = await taskFor("design-review", { execution: { assigned_to: "claire" } });
    expect((await dispatchOnce(h.ctx)).scheduled.sort()).toEqual([task.id, preassigned.id].sort());
    expect(await load(task.id)).toMatchObject({
      state: "SCHEDULED",
      assignedTo: "design-team",
      leaseOwner: null,
    });
    expect(await load(preassigned.id)).toMatchObject({ state: "SCHEDULED", assignedTo: "claire" });
    const audit = await h.ctx.prisma.auditLog.findFirstOrThrow({
      where: { taskId: task.id, action: "task.scheduled" },
    });
    expect(audit.details).toMatchObject({ executor: "human", team: "design-team" });

    expect((await claimTasks(h.ctx, { workerId: "w", skills: ["design-review"], max: 5 })).tasks).toEqual([]);
    expect((await claimTasks(h.ctx, { workerId: "w", skills: [ANY_SKILL], max: 5 })).tasks).toEqual([]);

    // An executor may not be the one to start it by hand, an account manager neither; an operator does.
    await expectDomainError(
      transitionTask(h.ctx, task.id, "IN_PROGRESS", { id: "user:marc", role: "account_manager" }),
      "FORBIDDEN",
    );
    const started = await transitionTask(h.ctx, task.id, "IN_PROGRESS", OPERATOR);
    expect(started.task).toMatchObject({
      state: "IN_PROGRESS",
      assignedTo: "design-team",
      leaseExpiresAt: null,
      currentStep: "implementation",
    });
    // No lease: hours later nothing expires, and still no worker takes it.
    h.clock.advanceHours(6);
    expect((await sweepExpiredLeases(h.ctx)).expired).toEqual([]);
    expect((await claimTasks(h.ctx, { workerId: "w", skills: [ANY_SKILL] })).tasks).toEqual([]);
    expect((await dispatchOnce(h.ctx)).pushed).toEqual([]);
    const done = await transitionTask(h.ctx, task.id, "COMPLETED", OPERATOR);
    expect(done.task).toMatchObject({ state: "COMPLETED", progressPercent: 100 });
    expect((await historyOf(h.ctx, task.id)).slice(-2).map((x) => x.actor)).toEqual([
      OPERATOR.id,
      OPERATOR.id,
    ]);
  });
});

describe("pull workers and the simulator", () => {
  it("leave webhook and human skills alone, and take them again once the executor is disabled", async () => {
    const r = await receiver();
    await createExecutor(h.ctx, { skill: "hooked", kind: "webhook", url: r.url }, ADMIN);
    await createExecutor(h.ctx, { skill: "people", kind: "human", team: "support" }, ADMIN);
    await createExecutor(h.ctx, { skill: "pulled", kind: "worker" }, ADMIN);
    const hooked = await taskFor("hooked");
    const people = await taskFor("people");
    const pulled = await taskFor("pulled");
    const plain = await taskFor("unconfigured");
    // A task the simulator may take: once it holds it, a whole claim (every skill) has run.
    const control = await taskFor("simulated");
    // Waiting as a claim would see them, whatever path put them there.
    for (const t of [hooked, people, pulled, plain, control]) await forceState(h.ctx, t.id, "SCHEDULED");
    await forceState(h.ctx, people.id, "IN_PROGRESS");

    const claimed = await claimTasks(h.ctx, {
      workerId: "w",
      skills: ["hooked", "people", "pulled", "unconfigured"],
      max: 10,
    });
    expect(claimed.tasks.map((t) => t.id).sort()).toEqual([pulled.id, plain.id].sort());

    // The simulator (every skill) ticking in the background takes nothing of theirs…
    const simulator = new Simulator(h.ctx, logger, { workerId: "sim", random: () => 0.99, tickMs: 25 });
    simulator.start();
    try {
      await waitFor("the simulator's first claim", () => simulator.activeTasks.includes(control.id));
      expect(simulator.activeTasks).toEqual([control.id]);
      // …until the human executor is disabled: the skill is served as an unconfigured one again.
      await updateExecutor(h.ctx, "people", { enabled: false }, ADMIN);
      await waitFor("the simulator claiming the human skill's task", () =>
        simulator.activeTasks.includes(people.id),
      );
      expect(simulator.activeTasks).not.toContain(hooked.id);
    } finally {
      await simulator.stop();
    }
    expect(await load(people.id)).toMatchObject({ leaseOwner: "sim" });
    expect(await load(hooked.id)).toMatchObject({ state: "SCHEDULED" });
  });
});
