import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { createWebhookInput, EVENT_TYPE_PATTERN } from "@/lib/schemas/webhooks";
import { backoffDelay, DEFAULT_DELIVERY_POLICY } from "./delivery-worker";
import { matchesAny, matchesPattern, webhookTypeOf } from "./event-types";
import { generateSecret, signMessage, verifyMessage } from "./signing";

describe("webhook event types", () => {
  it("names a state change after the state reached, and a new task task.created", () => {
    expect(webhookTypeOf({ type: "task.queued", payload: { from: "CREATED", to: "QUEUED" } })).toBe(
      "task.created",
    );
    expect(
      webhookTypeOf({ type: "task.transitioned", payload: { from: "IN_PROGRESS", to: "COMPLETED" } }),
    ).toBe("task.completed");
    expect(webhookTypeOf({ type: "task.reverted", payload: { from: "CANCELLED", to: "QUEUED" } })).toBe(
      "task.queued",
    );
    expect(webhookTypeOf({ type: "task.in_progress", payload: { from: "QUEUED", to: "IN_PROGRESS" } })).toBe(
      "task.in_progress",
    );
    expect(webhookTypeOf({ type: "task.edited", payload: {} })).toBe("task.edited");
    expect(webhookTypeOf({ type: "escalation.raised", payload: { escalation_id: "E" } })).toBe(
      "escalation.raised",
    );
    expect(webhookTypeOf({ type: "escalation.opened", payload: { escalation_id: "E" } })).toBe(
      "escalation.raised",
    );
  });

  it("matches exact types, prefix wildcards and *, but heartbeats only by name", () => {
    expect(matchesPattern("task.*", "task.completed")).toBe(true);
    expect(matchesPattern("task.*", "escalation.raised")).toBe(false);
    expect(matchesPattern("task.*", "taskx.completed")).toBe(false);
    expect(matchesPattern("*", "escalation.resolved")).toBe(true);
    expect(matchesPattern("task.completed", "task.completed")).toBe(true);
    expect(matchesPattern("task.completed", "task.completed_late")).toBe(false);
    expect(matchesAny(["task.*", "*"], "task.heartbeat")).toBe(false);
    expect(matchesAny(["task.heartbeat"], "task.heartbeat")).toBe(true);
  });

  it("accepts only well-formed patterns", () => {
    for (const ok of ["*", "task.*", "task.completed", "escalation.*", "webhook.test"])
      expect(EVENT_TYPE_PATTERN.test(ok), ok).toBe(true);
    for (const bad of ["task*", "*.completed", "task..x", "Task.Completed", "", "task.*.x"])
      expect(EVENT_TYPE_PATTERN.test(bad), bad).toBe(false);
  });

  it("validates subscription URLs: http(s) only, parseable, no credentials", () => {
    const paths = (url: string) => {
      const result = createWebhookInput.safeParse({ url });
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(paths("https://hooks.example.com/orchestrator")).toEqual([]);
    expect(paths("http://127.0.0.1:8080/x")).toEqual([]);
    expect(paths("ftp://example.com/x")).toEqual(["url: Only http and https URLs"]);
    expect(paths("not a url")).toEqual(["url: Not a URL"]);
    expect(paths("https://user:pass@example.com/")[0]).toMatch(/^url: No credentials/);
  });
});

describe("backoff", () => {
  it("doubles from 30 s, caps at an hour, and jitters within ±20 %", () => {
    const policy = DEFAULT_DELIVERY_POLICY;
    expect([1, 2, 3, 4].map((n) => backoffDelay(policy, n, () => 0.5))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(backoffDelay(policy, 12, () => 0.5)).toBe(3_600_000);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (n, r) => {
          const base = Math.min(3_600_000, 30_000 * 2 ** (n - 1));
          const delay = backoffDelay(policy, n, () => r);
          return delay >= Math.floor(base * 0.8) && delay <= Math.ceil(base * 1.2);
        },
      ),
    );
  });
});

describe("Standard Webhooks signatures", () => {
  it("round-trips through the reference library, and refuses a changed body or another secret", () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ type: "task.completed", data: { task: { id: "TASK-2026-000001" } } });
    const headers = signMessage(secret, "msg_1", new Date(), body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(verifyMessage(secret, body, new Headers({ ...headers }))).toEqual({
      ok: true,
      messageId: "msg_1",
    });
    expect(verifyMessage(secret, `${body} `, new Headers({ ...headers })).ok).toBe(false);
    expect(verifyMessage(generateSecret(), body, new Headers({ ...headers })).ok).toBe(false);
    expect(verifyMessage(secret, body, new Headers({})).ok).toBe(false);
    const old = signMessage(secret, "msg_2", new Date(Date.now() - 6 * 60_000), body);
    expect(verifyMessage(secret, body, new Headers({ ...old }))).toEqual({
      ok: false,
      reason: "Message timestamp too old",
    });
  });

  it("signs with a raw (non-whsec) secret as its bytes", () => {
    const headers = signMessage("shared-with-client-intake", "msg_3", new Date(), "{}");
    expect(() =>
      new Webhook("shared-with-client-intake", { format: "raw" }).verify("{}", { ...headers }),
    ).not.toThrow();
  });
});
