import { describe, expect, it } from "vitest";
import { z } from "zod";
import { negotiateLocale, resolveLocale, resolveTimeZone } from "@/lib/i18n/locales";
import { DomainError, notFound, validationError } from "../engine/errors";
import { errorResponse } from "../http/api-route";
import { HttpError } from "../http/errors";
import { parseInput } from "../http/read-json";
import { localizeMessage } from "./localize-message";

// The server answers people in their language: validation messages written for people, the
// engine's English messages in French for a French caller, and the language negotiated from the
// person's setting or Accept-Language.

const schema = z.strictObject({
  name: z.string().trim().min(1).max(64),
  hours: z.number().positive().max(10_000),
  count: z.number().int(),
  kind: z.enum(["a", "b"]),
  email: z.email(),
});

function fieldsOf(value: unknown, locale: "en" | "fr") {
  try {
    parseInput(schema, value, locale);
  } catch (error) {
    return (error as HttpError).fields;
  }
  throw new Error("expected a validation error");
}

describe("validation messages", () => {
  const bad = { name: "x".repeat(65), hours: -1, count: 1.5, kind: "c", email: "nope", extra: 1 };

  // The same bad body, each field's message in each language.
  const expected = {
    en: {
      name: "At most 64 characters",
      hours: "More than 0",
      count: "Must be a whole number",
      kind: "One of a, b",
      email: "Not an email address",
      "(body)": "Unknown field: extra",
    },
    fr: {
      name: "64 caractères au plus",
      hours: "Supérieur à 0",
      count: "Doit être un nombre entier",
      kind: "Une valeur parmi a, b",
      email: "Adresse e-mail invalide",
      "(body)": "Champ inconnu : extra",
    },
  } as const;

  it.each(Object.entries(expected))("are written for people (%s)", (locale, messages) => {
    expect(fieldsOf(bad, locale as "en" | "fr")).toEqual(
      expect.arrayContaining(Object.entries(messages).map(([path, message]) => ({ path, message }))),
    );
  });

  it("say what is missing, in French too", () => {
    expect(fieldsOf({}, "fr")).toContainEqual({ path: "name", message: "Obligatoire" });
  });

  it("leave a schema's own message to it, translated on the way out when it has a template", async () => {
    const own = z.object({
      queue: z.string().refine(() => false, { message: "Required for the scheduled queue" }),
    });
    let thrown: unknown;
    try {
      parseInput(own, { queue: "x" }, "fr");
    } catch (error) {
      thrown = error;
    }
    expect((thrown as HttpError).fields).toEqual([
      { path: "queue", message: "Required for the scheduled queue" },
    ]);
    const body = (await errorResponse(thrown, "fr").json()) as { error: { message: string } };
    expect(body.error.message).toBe("queue: Obligatoire pour la file planifiée");
  });
});

describe("localizeMessage", () => {
  it("fills the French template with the English message's parts, its words translated", () => {
    expect(localizeMessage("Task TASK-2026-000009 does not exist", "fr")).toBe(
      "La tâche TASK-2026-000009 n\u2019existe pas",
    );
    expect(localizeMessage("Too many requests; retry in 12 s", "fr")).toBe(
      "Trop de requêtes ; réessayez dans 12 s",
    );
  });

  it("leaves English, and messages it has no template for, as they are", () => {
    expect(localizeMessage("Task TASK-2026-000009 does not exist", "en")).toBe(
      "Task TASK-2026-000009 does not exist",
    );
    expect(localizeMessage("Something nobody wrote a template for", "fr")).toBe(
      "Something nobody wrote a template for",
    );
  });
});

describe("errorResponse", () => {
  it("answers a French caller in French: message and fields, validation rebuilt from them", async () => {
    const body = async (error: unknown) =>
      (await errorResponse(error, "fr").json()) as { error: { message: string; fields: unknown[] } };
    expect((await body(notFound("Escalation", "ESC-1"))).error.message).toBe(
      "L\u2019escalade ESC-1 n\u2019existe pas",
    );
    const validation = await body(
      validationError([{ path: "reason", message: "A reason is required to block a task" }]),
    );
    expect(validation.error).toMatchObject({
      message: "reason: Une raison est requise pour bloquer une tâche",
      fields: [{ path: "reason", message: "Une raison est requise pour bloquer une tâche" }],
    });
    const http = await body(new HttpError(401, "UNAUTHENTICATED", "Log in or send a valid bearer token"));
    expect(http.error.message).toBe("Connectez-vous ou envoyez un jeton valide");
    const stale = new DomainError(
      "STALE_VERSION",
      "Task T-1 is at version 3, not 2: it changed since you loaded it",
    );
    expect((await body(stale)).error.message).toBe(
      "La tâche T-1 est en version 3, pas 2 : elle a changé depuis son chargement",
    );
  });
});

describe("the request's language and time zone", () => {
  it("follows Accept-Language by quality, else English", () => {
    expect(negotiateLocale("fr-FR,fr;q=0.9,en;q=0.8")).toBe("fr");
    expect(negotiateLocale("de-DE,en;q=0.5,fr;q=0.7")).toBe("fr");
    expect(negotiateLocale("en-US,en;q=0.9")).toBe("en");
    expect(negotiateLocale("de, *;q=0.1")).toBe("en");
    expect(negotiateLocale(null)).toBe("en");
  });

  it("prefers the person's saved language; Paris time unless they chose a valid zone", () => {
    expect(resolveLocale("fr", "en-US")).toBe("fr");
    expect(resolveLocale("xx", "fr-CA")).toBe("fr");
    expect(resolveTimeZone(null)).toBe("Europe/Paris");
    expect(resolveTimeZone("America/Montreal")).toBe("America/Montreal");
    expect(resolveTimeZone("Mars/Olympus")).toBe("Europe/Paris");
  });
});

describe("command answers", () => {
  it("come in French for a French caller", () => {
    expect(localizeMessage("TASK-2026-000012 bumped (+10); now QUEUED.", "fr")).toBe(
      "TASK-2026-000012 remontée (+10) ; maintenant QUEUED.",
    );
    expect(localizeMessage("Which task? Name it as TASK-YYYY-NNNNNN.", "fr")).toBe(
      "Quelle tâche ? Nommez-la TASK-AAAA-NNNNNN.",
    );
    expect(localizeMessage("KPIs of the last 7 days: SLA compliance 92.5 %.", "fr")).toBe(
      "Indicateurs des 7 derniers jours : respect des SLA 92.5 %.",
    );
  });
});
