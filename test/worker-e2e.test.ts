import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SeedTask } from "@/lib/seed-format";
import { createTestDatabase, type TestDatabase } from "./database";
import { adminHeaders, type RunningServer, spawnExampleWorker, startServer } from "./server-process";
import { waitFor as waitUntil } from "./wait-for";

// The worker protocol end to end: the real server (its engine runner dispatches) and the real
// scripts/example-worker.ts process claiming, heartbeating and completing over HTTP.

describe("workers over HTTP", () => {
  let db: TestDatabase;
  let server: RunningServer;
  let workerKey: string;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 3 });
    server = await startServer({
      DATABASE_URL: db.url,
      ORCHESTRATOR_ENGINE: "1",
      ORCHESTRATOR_SIMULATOR: "0",
    });
    const response = await fetch(`${server.url}/api/v1/api-keys`, {
      method: "POST",
      headers: adminHeaders({ "content-type": "application/json" }),
      body: JSON.stringify({ name: "e2e-worker", scopes: ["worker"] }),
    });
    expect([200, 201]).toContain(response.status);
    workerKey = ((await response.json()) as { key: string }).key;
  }, 120_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill("SIGKILL");
    await server?.stop();
    await db?.drop();
  });

  const workerHeaders = () => ({ authorization: `Bearer ${workerKey}`, "content-type": "application/json" });
  const call = async (path: string, body: unknown, headers: Record<string, string> = workerHeaders()) => {
    const response = await fetch(`${server.url}/api/v1/workers${path}`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown> & {
        error?: { code: string; fields: { path: string }[] };
      },
    };
  };

  async function createTask(title: string, skill: string): Promise<string> {
    const response = await fetch(`${server.url}/api/v1/tasks`, {
      method: "POST",
      headers: adminHeaders({ "content-type": "application/json" }),
      body: JSON.stringify({
        definition: { title, type: "development", skill_target: skill },
        queue: { name: "high_priority" },
      }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { task: SeedTask }).task.id;
  }

  const waitFor = <T>(what: string, probe: () => Promise<T | null | false>, timeoutMs = 30_000) =>
    waitUntil(what, probe, { timeoutMs, context: () => server.output().slice(-2_000) });
  // A claim skips rows another transaction holds at that instant (FOR UPDATE SKIP LOCKED, as job
  // queues do: the engine's sweeps touch fresh tasks too), so a worker asks again, as real ones poll.
  const claimUntilGiven = (id: string, body: Record<string, unknown>) =>
    waitFor(`a claim to give ${id}`, async () => {
      const claim = await call("/claim", body);
      return (claim.body.tasks as SeedTask[] | undefined)?.some((t) => t.id === id) ? claim : null;
    });
  const stateOf = async (id: string) => (await db.prisma.task.findUnique({ where: { id } }))?.state;

  it("dispatches in the server, and refuses bad worker calls with precise codes", async () => {
    const id = await createTask("QA pass", "qa");
    await waitFor("dispatch by the server's engine", async () => (await stateOf(id)) === "SCHEDULED");

    expect(
      (await call("/claim", { worker_id: "probe", skills: ["qa"] }, { "content-type": "application/json" }))
        .status,
    ).toBe(401);
    const bad = await call("/claim", { worker_id: "probe", skills: [] });
    expect([bad.status, bad.body.error?.fields.map((f) => f.path)]).toEqual([400, ["skills"]]);

    const claim = await claimUntilGiven(id, { worker_id: "probe", skills: ["qa"], lease_seconds: 30 });
    expect(claim.status).toBe(200);
    const [task] = claim.body.tasks as SeedTask[];
    expect(task).toMatchObject({
      id,
      state: { current: "IN_PROGRESS", previous: "SCHEDULED" },
      execution: { assigned_to: "probe" },
    });

    const progress = await call(`/tasks/${id}/heartbeat`, { worker_id: "probe", progress_percent: 150 });
    expect([progress.status, progress.body.error?.fields.map((f) => f.path)]).toEqual([
      400,
      ["progress_percent"],
    ]);
    const intruder = await call(`/tasks/${id}/heartbeat`, { worker_id: "intruder", progress_percent: 10 });
    expect([intruder.status, intruder.body.error?.code]).toEqual([409, "LEASE_NOT_HELD"]);
    const beat = await call(`/tasks/${id}/heartbeat`, {
      worker_id: "probe",
      progress_percent: 50,
      current_step: "testing",
    });
    expect(beat.status).toBe(200);
    expect((beat.body.task as SeedTask).execution).toMatchObject({
      progress_percent: 50,
      current_step: "testing",
    });

    const done = await call(`/tasks/${id}/complete`, {
      worker_id: "probe",
      output: { deliverables: ["report.pdf"] },
    });
    expect(done.status).toBe(200);
    expect(done.body.task).toMatchObject({
      state: { current: "COMPLETED" },
      output: { deliverables: ["report.pdf"] },
    });
    const late = await call(`/tasks/${id}/heartbeat`, { worker_id: "probe" });
    expect([late.status, late.body.error?.code]).toEqual([409, "TASK_FINISHED"]);
    const unknown = await call("/tasks/TASK-1999-000001/complete", { worker_id: "probe" });
    expect(unknown.status).toBe(404);
  });

  it("hands results back with the next claim in one call, refusing a bad claim before writing", async () => {
    const first = await createTask("Translate the brief", "translation");
    const second = await createTask("Translate the FAQ", "translation");
    await waitFor("both dispatched", async () =>
      (await Promise.all([stateOf(first), stateOf(second)])).every((s) => s === "SCHEDULED"),
    );
    await claimUntilGiven(first, { worker_id: "linguist", skills: ["translation"], max: 1 });

    const bad = await call("/complete", {
      worker_id: "linguist",
      results: [{ task_id: first }],
      claim: { skills: [], max: 5 },
    });
    expect([bad.status, bad.body.error?.fields.map((f) => f.path)]).toEqual([400, ["claim.skills"]]);
    expect(await stateOf(first)).toBe("IN_PROGRESS");

    const done = await call("/complete", {
      worker_id: "linguist",
      results: [{ task_id: first, output: { deliverables: ["brief.fr.md"] } }],
      claim: { skills: ["translation"], max: 5, lease_seconds: 30 },
    });
    expect(done.status).toBe(200);
    expect(done.body.results).toEqual([
      { task_id: first, ok: true, parked: false, unblocked: [], completed_parents: [] },
    ]);
    const claimed = done.body.claimed as { lease: { duration_seconds: number }; tasks: SeedTask[] };
    expect(claimed.lease.duration_seconds).toBe(30);
    // A claim skips a row another transaction holds at that instant (see claimUntilGiven): the
    // second task is either in this answer, leased to the worker, or still there to claim.
    for (const task of claimed.tasks) {
      expect(task).toMatchObject({
        id: second,
        state: { current: "IN_PROGRESS" },
        execution: { assigned_to: "linguist" },
      });
    }
    if (claimed.tasks.length === 0)
      await claimUntilGiven(second, { worker_id: "linguist", skills: ["translation"] });
    expect(await stateOf(first)).toBe("COMPLETED");
    expect(await stateOf(second)).toBe("IN_PROGRESS");
  });

  it("answers LEASE_EXPIRED once a lease ran out, and the server's sweep sends the task to retry", async () => {
    const id = await createTask("Flaky job", "flaky");
    await waitFor("dispatch", async () => (await stateOf(id)) === "SCHEDULED");
    const claim = await claimUntilGiven(id, { worker_id: "sleepy", skills: ["flaky"], lease_seconds: 5 });
    expect((claim.body.tasks as SeedTask[]).map((t) => t.id)).toEqual([id]);
    // Its 5 s run out without waiting them: the lease's deadline, which the server compares with
    // its own clock, is moved into the past.
    await db.prisma.task.update({
      where: { id },
      data: { leaseExpiresAt: new Date(Date.now() - 1_000) },
    });
    const beat = await call(`/tasks/${id}/heartbeat`, { worker_id: "sleepy", progress_percent: 10 });
    expect([beat.status, beat.body.error?.code]).toEqual([409, "LEASE_EXPIRED"]);
    await waitFor("lease sweep", async () => (await stateOf(id)) === "FAILED", 15_000);
    const failed = await db.prisma.task.findUniqueOrThrow({ where: { id } });
    expect(failed.lastError).toBe("lease expired: executor died");
    expect(failed.nextRetryAt).not.toBeNull();
  }, 40_000);

  it("answers LEASE_REVOKED to a worker whose task an operator blocked", async () => {
    const id = await createTask("Paused job", "pausable");
    await waitFor("dispatch", async () => (await stateOf(id)) === "SCHEDULED");
    const claim = await claimUntilGiven(id, { worker_id: "busy", skills: ["pausable"] });
    expect((claim.body.tasks as SeedTask[]).map((t) => t.id)).toEqual([id]);
    const block = await fetch(`${server.url}/api/v1/tasks/${id}/transition`, {
      method: "POST",
      headers: adminHeaders({ "content-type": "application/json" }),
      body: JSON.stringify({ to: "BLOCKED", reason: "Client asked to pause" }),
    });
    expect(block.status).toBe(200);
    for (const path of ["heartbeat", "complete"]) {
      const refused = await call(`/tasks/${id}/${path}`, { worker_id: "busy" });
      expect([refused.status, refused.body.error?.code, refused.body.error]).toEqual([
        409,
        "LEASE_REVOKED",
        expect.objectContaining({ task_id: id, state: "BLOCKED", worker_id: "busy" }),
      ]);
    }
    expect((await db.prisma.task.findUniqueOrThrow({ where: { id } })).leaseExpiresAt).toBeNull();
  });

  it("lets the example worker claim, heartbeat and complete the tasks of its skills", async () => {
    const ids = [
      await createTask("API endpoint", "backend"),
      await createTask("Checkout page", "frontend"),
      await createTask("Cart service", "backend"),
      await createTask("Product list", "frontend"),
    ];
    const other = await createTask("CI pipeline", "devops");

    const spawned = spawnExampleWorker(server.url, workerKey, {
      skills: "backend,frontend",
      workerId: "e2e-1",
      concurrency: 3,
      workMs: 500,
      pollMs: 200,
    });
    worker = spawned.process;
    const exited = new Promise<number | null>((resolve) => worker!.once("exit", (code) => resolve(code)));

    await waitFor(
      "the worker to complete its tasks",
      async () =>
        (await db.prisma.task.count({ where: { id: { in: ids }, state: "COMPLETED" } })) === ids.length,
      60_000,
    );
    worker.kill("SIGTERM");
    expect(await exited, spawned.log()).toBe(0);

    expect(await stateOf(other)).toBe("SCHEDULED");
    for (const id of ids) {
      const history = await db.prisma.taskStateHistory.findMany({
        where: { taskId: id },
        orderBy: { id: "asc" },
      });
      expect(history.map((h) => [h.state, h.actor])).toEqual([
        ["CREATED", "admin-token"],
        ["QUEUED", "admin-token"],
        ["SCHEDULED", "task-orchestrator/execution"],
        ["IN_PROGRESS", "worker:e2e-1"],
        ["COMPLETED", "worker:e2e-1"],
      ]);
      const beats = await db.prisma.auditLog.count({
        where: { taskId: id, action: "task.progress", actor: "worker:e2e-1" },
      });
      expect(beats).toBe(4);
      const task = await db.prisma.task.findUniqueOrThrow({ where: { id } });
      expect(task.deliverables).toEqual([{ name: "development result", by: "e2e-1" }]);
    }
    expect(spawned.log()).toContain('"msg":"completed"');
  }, 90_000);
});
