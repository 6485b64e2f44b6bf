import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrl, TEST_ADMIN_URL } from "./config";
import { createTestDatabase, type TestDatabase } from "./database";
import { freePort, runServerUntilExit } from "./server-process";

// A server that cannot start a part of itself exits non-zero with one clear log line, and
// leaves nothing running: a taken port no longer leaves an engine without an HTTP server.

const fatalLines = (output: string) => output.split("\n").filter((line) => line.includes('"level":60'));

describe("start-up failures", () => {
  let db: TestDatabase;
  let squatter: Server;
  let port: number;

  beforeAll(async () => {
    db = await createTestDatabase({ poolSize: 1 });
    port = await freePort();
    squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, "127.0.0.1", resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => squatter?.close(resolve));
    await db?.drop();
  });

  it("exits 1 with one line naming the address when the port is taken, before starting the engine", async () => {
    const { code, output } = await runServerUntilExit(
      { DATABASE_URL: db.url, ORCHESTRATOR_ENGINE: "1", LOG_LEVEL: "info" },
      port,
    );
    expect(code, output).toBe(1);
    const lines = fatalLines(output);
    expect(lines, output).toHaveLength(1);
    expect(lines[0]).toContain(`startup failed: cannot listen on 127.0.0.1:${port}`);
    expect(lines[0]).toContain("EADDRINUSE");
    expect(output).not.toContain("engine started");
  });

  it("exits 1 with one line when the database cannot be reached", async () => {
    const { code, output } = await runServerUntilExit(
      { DATABASE_URL: databaseUrl(TEST_ADMIN_URL, "orch_no_such_database") },
      await freePort(),
    );
    expect(code, output).toBe(1);
    const lines = fatalLines(output);
    expect(lines, output).toHaveLength(1);
    expect(lines[0]).toContain("startup failed");
    expect(lines[0]).toContain("orch_no_such_database");
  });
});
