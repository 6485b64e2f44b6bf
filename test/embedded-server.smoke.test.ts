import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BoardSnapshot } from "@/lib/board";
import { type ChangeEvent, SOCKET_EVENT } from "@/lib/events";
import { adminHeaders, type RunningServer, startServer, TEST_ADMIN_TOKEN } from "./server-process";

// The default path: no DATABASE_URL, so the server creates, migrates and persists an embedded
// PGlite database, seeds demo data, and serves the board and live changes.

describe("server on the embedded database", () => {
  let dataDir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "orch-pglite-"));
    server = await startServer({
      DATABASE_URL: "",
      ORCHESTRATOR_DATA_DIR: dataDir,
      ORCHESTRATOR_DEMO: "1",
      ORCHESTRATOR_ENGINE: "1",
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("reports a healthy embedded database", async () => {
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health).toMatchObject({ status: "ok", database: "pglite" });
  });

  it("serves the demo board with the seed's worked example", async () => {
    const board = (await (
      await fetch(`${server.url}/api/v1/board`, { headers: adminHeaders() })
    ).json()) as BoardSnapshot;
    expect(board.cards.length).toBeGreaterThanOrEqual(20);
    expect(board.cards.map((c) => c.title)).toEqual(
      expect.arrayContaining(["Brief analysis", "Tech scoping", "Architecture"]),
    );
  });

  it("pushes a created task to a connected socket", async () => {
    const socket = io(server.url, { transports: ["websocket"], auth: { token: TEST_ADMIN_TOKEN } });
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    // The demo simulator is working too: wait for the event about our task.
    const heard: ChangeEvent[] = [];
    socket.on(SOCKET_EVENT, (events: ChangeEvent[]) => heard.push(...events));
    const response = await fetch(`${server.url}/api/v1/tasks`, {
      method: "POST",
      headers: adminHeaders({ "content-type": "application/json" }),
      body: JSON.stringify({ definition: { title: "Smoke task" }, queue: { name: "critical" } }),
    });
    expect(response.status).toBe(201);
    const { task } = (await response.json()) as { task: { id: string; metadata: { version: number } } };
    // The engine dispatches at once (no debounce), so the answer may already show a later
    // version than the creation's event: the socket hears up to that version too.
    await expect
      .poll(() => heard.some((e) => e.taskId === task.id && (e.version ?? 0) >= task.metadata.version))
      .toBe(true);
    socket.close();
  });

  it("stops gracefully on SIGTERM and keeps its data across a restart", async () => {
    const created = await fetch(`${server.url}/api/v1/tasks`, {
      method: "POST",
      headers: adminHeaders({ "content-type": "application/json" }),
      body: JSON.stringify({ definition: { title: "Kept across a restart" }, queue: { name: "normal" } }),
    });
    expect(created.status).toBe(201);
    const { task } = (await created.json()) as { task: { id: string } };
    expect(await server.stop(), server.output().slice(-4000)).toBe(0);
    server = await startServer({
      DATABASE_URL: "",
      ORCHESTRATOR_DATA_DIR: dataDir,
      ORCHESTRATOR_DEMO: "1",
      ORCHESTRATOR_ENGINE: "1",
    });
    const board = (await (
      await fetch(`${server.url}/api/v1/board`, { headers: adminHeaders() })
    ).json()) as BoardSnapshot;
    expect(board.cards.filter((c) => c.id === task.id).map((c) => c.title)).toEqual([
      "Kept across a restart",
    ]);
    // Demo seeding is idempotent: the worked example is still there once.
    expect(board.cards.filter((c) => c.title === "Brief analysis")).toHaveLength(1);
  }, 120_000);
});
