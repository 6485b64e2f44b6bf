import { describe, expect, it } from "vitest";
import { serverOnDatabase } from "./server-on-database";
import { adminHeaders } from "./server-process";

// PUT/GET /api/v1/queues/{name}/sla-policy over real HTTP against the real server: an admin
// edits a queue's SLA clock; bad input is a 400 naming the field and changes nothing.

interface ErrorBody {
  error: { code: string; fields: { path: string }[] };
}

const POLICY = {
  pause_states: ["ON_HOLD"],
  pause_on_client_block: true,
  client_blocker_keywords: ["client"],
  pause_while_waiting_on_blockers: true,
  clock_starts: "entry",
  calendar: {
    time_zone: "Europe/Paris",
    hours: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "18:00" }],
    holidays: ["2026-12-25"],
  },
};

describe("SLA policy endpoints", () => {
  const own = serverOnDatabase({ poolSize: 3 });

  const call = <T>(method: string, path: string, body?: unknown) => own.call<T>(method, path, body);

  it("reads the defaults, replaces the policy, and refuses bad input naming the field", async () => {
    const before = await call<{ version: number; calendar: unknown }>(
      "GET",
      "/api/v1/queues/urgent/sla-policy",
    );
    expect(before).toMatchObject({ status: 200, body: { version: 0, calendar: null } });

    const put = await call<{ version: number }>("PUT", "/api/v1/queues/urgent/sla-policy", POLICY);
    expect(put).toMatchObject({ status: 200, body: { ...POLICY, queue: "urgent", version: 1 } });

    const bad: [unknown, string][] = [
      [{ ...POLICY, calendar: { ...POLICY.calendar, time_zone: "Nowhere/Land" } }, "calendar.time_zone"],
      [
        {
          ...POLICY,
          calendar: {
            ...POLICY.calendar,
            hours: [...POLICY.calendar.hours, { days: ["fri"], from: "08:00", to: "10:00" }],
          },
        },
        "calendar.hours.1",
      ],
      [{ ...POLICY, pause_states: ["WAITING"] }, "pause_states.0"],
      [{ ...POLICY, clock_starts: "whenever" }, "clock_starts"],
    ];
    for (const [body, field] of bad) {
      const res = await call<ErrorBody>("PUT", "/api/v1/queues/urgent/sla-policy", body);
      expect(res.status).toBe(400);
      expect(res.body.error.fields.map((f) => f.path)).toContain(field);
    }
    const after = await call<{ version: number }>("GET", "/api/v1/queues/urgent/sla-policy");
    expect(after.body).toMatchObject({ ...POLICY, version: 1 });
    expect((await call("PUT", "/api/v1/queues/nope/sla-policy", POLICY)).status).toBe(400);
  });

  it("sets a client's account managers; an unknown user is a 400 naming the field, in the caller's language", async () => {
    const created = await call<{ email: string }>("POST", "/api/v1/users", {
      email: "amy@agence.fr",
      name: "Amy",
      role: "account_manager",
      password: "amy-password-2026",
    });
    expect(created.status).toBe(201);
    const path = `/api/v1/clients/${encodeURIComponent("MediCare+")}/account-managers`;
    const put = await call("PUT", path, { account_managers: ["amy@agence.fr"] });
    expect([put.status, put.body]).toEqual([
      200,
      { client: "MediCare+", account_managers: ["amy@agence.fr"] },
    ]);

    const refused = await fetch(`${own.server.url}${path}`, {
      method: "PUT",
      headers: adminHeaders({ "content-type": "application/json", "accept-language": "fr" }),
      body: JSON.stringify({ account_managers: ["amy@agence.fr", "ghost@agence.fr"] }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { fields: unknown[] } }).error.fields).toEqual([
      { path: "account_managers.1", message: "Aucun chargé de compte actif ghost@agence.fr" },
    ]);
    const listed = await call("GET", "/api/v1/clients/account-managers");
    expect(listed.body).toEqual({ clients: [{ client: "MediCare+", account_managers: ["amy@agence.fr"] }] });
  });
});
