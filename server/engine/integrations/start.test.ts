import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "../../../test/wait-for";
import { logger } from "../../logger";
import { ChangeBus } from "../../realtime/change-bus";
import { ADMIN, newTask, setupEngine } from "../state/test-support";
import { integrationSettingsFromEnv } from "./settings";
import { startIntegrations } from "./start";
import { type ReceivedRequest, startReceiver } from "./test-receiver";
import { createWebhook } from "./webhooks-out";

// The loops as the server runs them: a committed change heard on the change bus becomes a
// signed POST within moments, without anyone calling runOnce.

const h = setupEngine({ poolSize: 6 });
const changes = new ChangeBus();

afterAll(async () => {
  await changes.stop();
});

describe("startIntegrations", () => {
  it("delivers a change on its own, woken by the change bus, and stops cleanly", async () => {
    await changes.start(h.db, logger);
    const r = await startReceiver();
    try {
      await createWebhook(h.ctx, { url: r.url, event_types: ["task.created"] }, ADMIN);
      // A change made before the start is delivered by the start-up round; once it has
      // arrived, that round is over and the polls are a minute away (beyond the test's limit).
      const before = await newTask(h.ctx);
      const integrations = await startIntegrations(h.db, h.ctx, changes, logger, {
        enabled: true,
        clientIntake: {},
        schedules: false,
        housekeeping: false,
        eventPollMs: 60_000, // the change bus, not the poll, must wake the sweep
        workerPollMs: 60_000,
      });
      const deliveredTask = (request: ReceivedRequest) =>
        (JSON.parse(request.body) as { data: { task: { id: string } } }).data.task.id;
      await waitFor("the start-up round's delivery", () =>
        r.requests.some((q) => deliveredTask(q) === before.id),
      );
      // So only the change bus can wake the sweep for this one.
      const task = await newTask(h.ctx);
      const request = await waitFor("the delivery woken by the change bus", () =>
        r.requests.find((q) => deliveredTask(q) === task.id),
      );
      expect(JSON.parse(request.body)).toMatchObject({
        type: "task.created",
        data: { task: { id: task.id } },
      });
      await integrations.stop();
    } finally {
      await r.close();
    }
  });

  it("reads its settings from the environment and refuses bad values by name", () => {
    expect(integrationSettingsFromEnv({})).toMatchObject({
      enabled: true,
      archiveAfterDays: 30,
      policy: { timeoutMs: 5_000, maxAttempts: 8, backoffBaseMs: 30_000 },
      concurrency: 4,
      retentionDays: 30,
    });
    expect(
      integrationSettingsFromEnv({
        ORCHESTRATOR_INTEGRATIONS: "0",
        ARCHIVE_AFTER_DAYS: "7",
        CLIENT_INTAKE_URL: "https://intake.example.com/notify",
        CLIENT_INTAKE_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      }),
    ).toMatchObject({
      enabled: false,
      archiveAfterDays: 7,
      clientIntake: { url: "https://intake.example.com/notify" },
    });
    expect(() => integrationSettingsFromEnv({ ARCHIVE_AFTER_DAYS: "-1" })).toThrow(/ARCHIVE_AFTER_DAYS/);
    expect(() => integrationSettingsFromEnv({ CLIENT_INTAKE_URL: "https://intake.example.com" })).toThrow(
      /CLIENT_INTAKE_SECRET/,
    );
    expect(() => integrationSettingsFromEnv({ CLIENT_INTAKE_URL: "ftp://intake" })).toThrow(
      /CLIENT_INTAKE_URL/,
    );
  });

  it("starts nothing when ORCHESTRATOR_INTEGRATIONS=0", async () => {
    const integrations = await startIntegrations(h.db, h.ctx, changes, logger, { enabled: false });
    expect(integrations.worker).toBeNull();
    await integrations.stop();
  });
});
