import { expect, test } from "@playwright/test";
import pg from "pg";
import { databaseUrl, TEST_ADMIN_URL } from "../test/config";
import { adminApi, createTask, transition, unique } from "./api";
import { login } from "./session";

// The board after the server's change channel was cut: the LISTEN connections are killed
// (pg_terminate_backend, as a database restart does) and, while the database refuses new
// connections, a task changes without any notification reaching the server. Once the channel
// heals, the server tells the board to resynchronise and the card shows the change without a
// reload.

const database = process.env.E2E_DATABASE_NAME ?? "orch_e2e";

test("the board catches up on a change made while the server's change channel was down", async ({ page }) => {
  const api = await adminApi();
  // An unfinished blocker keeps it QUEUED (the dispatcher schedules a free task at once).
  const blocker = await createTask(api, {
    definition: { title: unique("Blocker"), skill_target: unique("skill") },
  });
  const task = await createTask(api, {
    definition: { title: unique("before the cut"), type: "development", skill_target: "design" },
    queue: { name: "low_priority" },
    dependencies: { blocked_by: [blocker.id] },
  });
  // Held, so that nothing else (a dispatch) touches it and sends an event during the test.
  await transition(api, task.id, "ON_HOLD", "kept still for the test");
  await login(page);
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
  const card = page.getByTestId("board").getByTestId("task-card").filter({ hasText: task.id });
  await expect(card).toBeVisible();

  const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
  // A session opened before the cut: it keeps working while new connections are refused.
  const writer = new pg.Client({ connectionString: databaseUrl(TEST_ADMIN_URL, database) });
  await Promise.all([admin.connect(), writer.connect()]);
  const renamed = unique("changed in the gap");
  try {
    await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(database)} ALLOW_CONNECTIONS false`);
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN %'`,
      [database],
    );
    // Written behind the engine's back: no event, no NOTIFY — only a resync can show it.
    await writer.query("UPDATE tasks SET title = $1, version = version + 1 WHERE id = $2", [
      renamed,
      task.id,
    ]);
  } finally {
    await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(database)} ALLOW_CONNECTIONS true`);
    await Promise.all([admin.end(), writer.end()]);
  }

  await expect(card).toContainText(renamed, { timeout: 15_000 });
  await expect(page.getByTestId("live-status")).toHaveAttribute("data-status", "live");
});
