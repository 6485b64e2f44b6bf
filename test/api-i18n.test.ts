import { describe, expect, it } from "vitest";
import { serverOnDatabase } from "./server-on-database";
import { adminHeaders } from "./server-process";
import { waitFor } from "./wait-for";

// The server answers people in their language over real HTTP: Accept-Language for anyone, the
// person's saved setting first; pages render in it; the sentence becomes a work proposal.

const ADMIN = { email: "root@test.local", password: "root-password-123" };
const json = { "content-type": "application/json" };

describe("the server in French and English, and a client's request found by its words", () => {
  const own = serverOnDatabase({
    env: { ORCHESTRATOR_ADMIN_EMAIL: ADMIN.email, ORCHESTRATOR_ADMIN_PASSWORD: ADMIN.password },
  });

  const createTask = (headers: Record<string, string>, body: unknown) =>
    fetch(`${own.server.url}/api/v1/tasks`, {
      method: "POST",
      headers: { ...json, ...headers },
      body: JSON.stringify(body),
    });

  async function login(): Promise<string> {
    const response = await fetch(`${own.server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: json,
      body: JSON.stringify(ADMIN),
    });
    return response.headers.get("set-cookie")?.split(";")[0] ?? "";
  }

  it("writes validation messages for people, in the language of Accept-Language", async () => {
    const tooLong = { definition: { title: "T", type: "x".repeat(65) } };
    const fr = await createTask(adminHeaders({ "accept-language": "fr-FR,fr;q=0.9" }), tooLong);
    expect(fr.status).toBe(400);
    const frBody = (await fr.json()) as {
      error: { message: string; fields: { path: string; message: string }[] };
    };
    expect(frBody.error.fields).toContainEqual({
      path: "definition.type",
      message: "64 caractères au plus",
    });
    expect(frBody.error.message).toBe("definition.type: 64 caractères au plus");

    const en = await createTask(adminHeaders({ "accept-language": "en-US" }), tooLong);
    const enBody = (await en.json()) as { error: { fields: { path: string; message: string }[] } };
    expect(enBody.error.fields).toContainEqual({
      path: "definition.type",
      message: "At most 64 characters",
    });

    const missing = await fetch(`${own.server.url}/api/v1/tasks/TASK-2026-999999`, {
      headers: adminHeaders({ "accept-language": "fr" }),
    });
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe(
      "La tâche TASK-2026-999999 n\u2019existe pas",
    );
  });

  it("saves a person's language and time zone; their answers and pages follow it, not the browser", async () => {
    const cookie = await login();
    const headers = { ...json, cookie, origin: own.server.url };
    const saved = await fetch(`${own.server.url}/api/v1/auth/me/preferences`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ locale: "fr", time_zone: "America/Montreal" }),
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ preferences: { locale: "fr", time_zone: "America/Montreal" } });
    const me = (await (await fetch(`${own.server.url}/api/v1/auth/me`, { headers: { cookie } })).json()) as {
      preferences: unknown;
    };
    expect(me.preferences).toEqual({ locale: "fr", time_zone: "America/Montreal" });

    const refused = await createTask(
      { cookie, origin: own.server.url, "accept-language": "en-US" },
      { definition: { title: "" } },
    );
    const body = (await refused.json()) as { error: { fields: { message: string }[] } };
    expect(body.error.fields[0]?.message).toBe("Le titre est obligatoire");

    const page = await (
      await fetch(`${own.server.url}/`, { headers: { cookie, "accept-language": "en-US" } })
    ).text();
    expect(page).toContain('lang="fr"');
    expect(page).toContain("Tableau");

    const wrongZone = await fetch(`${own.server.url}/api/v1/auth/me/preferences`, {
      method: "PATCH",
      headers,
      body: JSON.stringify({ time_zone: "Mars/Olympus" }),
    });
    expect(wrongZone.status).toBe(400);
    expect(((await wrongZone.json()) as { error: { message: string } }).error.message).toContain(
      "Fuseau horaire inconnu",
    );
  });

  it("renders /api-docs in the reader's language, the routes' descriptions in English", async () => {
    const page = async (language: string) =>
      (await fetch(`${own.server.url}/api-docs`, { headers: { "accept-language": language } })).text();
    const fr = await page("fr-FR,fr");
    expect(fr).toContain('lang="fr"');
    for (const words of ["API de Task Orchestrator", "Réponses : ", "obligatoire", "Tâches", "Escalades"])
      expect(fr).toContain(words);
    expect(fr).not.toContain("Responses: ");
    const en = await page("en-US");
    for (const words of ["Task Orchestrator API", "Responses: ", "required", "Tasks"])
      expect(en).toContain(words);
  });

  it("renders the login page in the browser's language when nobody is signed in", async () => {
    const fr = await (
      await fetch(`${own.server.url}/login`, { headers: { "accept-language": "fr-CA,fr" } })
    ).text();
    expect(fr).toContain('lang="fr"');
    expect(fr).toContain("Mot de passe");
    const en = await (
      await fetch(`${own.server.url}/login`, { headers: { "accept-language": "en-US" } })
    ).text();
    expect(en).toContain('lang="en"');
    expect(en).toContain("Password");
  });

  it("turns the seed's sentence into the e-commerce chain's proposal, creating nothing", async () => {
    const before = await own.db.prisma.task.count();
    const response = await fetch(`${own.server.url}/api/v1/commands/propose-work`, {
      method: "POST",
      headers: { ...json, ...adminHeaders() },
      body: JSON.stringify({ text: "Refonte site e-commerce, budget 20k€, deadline juin" }),
    });
    expect(response.status).toBe(200);
    const { proposal } = (await response.json()) as { proposal: Record<string, unknown> };
    expect(proposal).toMatchObject({
      template_id: "ecommerce-redesign",
      context: {
        project: { type: "ecommerce", budget_range: "20k€", deadline: expect.stringMatching(/-06-30$/) },
      },
    });
    expect(await own.db.prisma.task.count()).toBe(before);
  });

  it("finds a client's request by its intake id, its client and its project", async () => {
    const created = await fetch(`${own.server.url}/api/v1/templates/ecommerce-redesign/instantiate`, {
      method: "POST",
      headers: { ...json, ...adminHeaders() },
      body: JSON.stringify({
        intake_id: "INK-2026-424242",
        context: { client: { name: "Boutique Rivière" }, project: { type: "ecommerce-refonte" } },
      }),
    });
    expect(created.status).toBe(201);
    for (const q of ["ink-2026-424242", "rivière", "refonte"]) {
      const page = (await (
        await fetch(`${own.server.url}/api/v1/tasks?q=${encodeURIComponent(q)}`, { headers: adminHeaders() })
      ).json()) as { tasks: { intake_id: string }[] };
      expect(
        page.tasks.map((t) => t.intake_id),
        q,
      ).toEqual(["INK-2026-424242", "INK-2026-424242", "INK-2026-424242"]);
    }
  });

  it("gives an escalation's reason and suggested action in the caller's language", async () => {
    const post = async (path: string, body: unknown) =>
      (await (
        await fetch(`${own.server.url}${path}`, {
          method: "POST",
          headers: { ...json, ...adminHeaders() },
          body: JSON.stringify(body),
        })
      ).json()) as { task: { id: string } };
    const { task: blocker } = await post("/api/v1/tasks", {
      definition: { title: "Bloqueur", skill_target: "nobody" },
    });
    const { task: dependent } = await post("/api/v1/tasks", {
      definition: { title: "Dépendante" },
      dependencies: { blocked_by: [blocker.id] },
    });
    await post(`/api/v1/tasks/${blocker.id}/transition`, { to: "CANCELLED", reason: "Le client a renoncé" });
    type Page = {
      escalations: { escalation: { suggested_action: string }; reader_text: Record<string, string> }[];
    };
    const inbox = async (language: string) =>
      (
        (await (
          await fetch(`${own.server.url}/api/v1/escalations?task_id=${dependent.id}`, {
            headers: adminHeaders({ "accept-language": language }),
          })
        ).json()) as Page
      ).escalations[0];
    const fr = await waitFor("the dependency conflict", () => inbox("fr-FR,fr;q=0.9"));
    expect(fr.reader_text).toEqual({
      reason: "Conflit de dépendances",
      suggested_action: fr.escalation.suggested_action,
    });
    expect(fr.escalation.suggested_action).toMatch(/^Retirer ou remplacer la dépendance annulée/);
    const en = await inbox("en-US");
    expect(en!.reader_text).toEqual({
      reason: "Dependency conflict",
      suggested_action:
        "Remove or replace the cancelled dependency, undo the cancellation, or cancel this task",
    });
    expect(en!.escalation.suggested_action).toBe(fr.escalation.suggested_action);
  });

  it("answers a command in French for a French caller", async () => {
    const response = await fetch(`${own.server.url}/api/v1/commands`, {
      method: "POST",
      headers: { ...json, ...adminHeaders({ "accept-language": "fr" }) },
      body: JSON.stringify({ text: "bump" }),
    });
    expect(((await response.json()) as { message: string }).message).toBe(
      "Quelle tâche ? Nommez-la TASK-AAAA-NNNNNN.",
    );
  });
});
