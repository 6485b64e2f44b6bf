import path from "node:path";
import { describe, expect, it } from "vitest";
import { localizeMessage } from "./localize-message";
import { findServerMessages } from "./message-coverage";

// Every message the server writes for people reaches a French caller in French: each English
// message found in the source (errors, field issues, command answers, zod's own messages) has a
// template in messages/*.json `server.messages`. A new English message without one fails here.

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Not for people: a webhook test payload, a test helper's fake error. */
const NOT_FOR_PEOPLE = new Set(["A test message from Task Orchestrator", "Executor crashed"]);

/**
 * Messages built with a conditional part (`${x ? " (…)" : ""}`): the sample cannot stand for
 * them, so each of their real forms is checked instead.
 */
const BUILT_IN_PARTS: Record<string, [string, string][]> = {
  "Escalation X7 is resolvedX7: it cannot be X7": [
    [
      "Escalation ESC-1 is resolved: it cannot be resolved again",
      "L’escalade ESC-1 est résolue : elle ne peut pas l’être une seconde fois",
    ],
    [
      "Escalation ESC-1 is resolved (client called): it cannot be acted on (retry)",
      "L’escalade ESC-1 est résolue (client called) : plus aucune action possible (retry)",
    ],
  ],
  "Escalation X7 is already acknowledgedX7": [
    ["Escalation ESC-1 is already acknowledged", "L’escalade ESC-1 est déjà prise en charge"],
    [
      "Escalation ESC-1 is already acknowledged (assigned to user:a@b.fr)",
      "L’escalade ESC-1 est déjà prise en charge (assignée à user:a@b.fr)",
    ],
  ],
  "Delivery X7 is still pending: the delivery worker sends itX7. Only a succeeded or failed delivery can be resent":
    [
      [
        "Delivery msg_1 is still pending: the delivery worker sends it (next attempt at 2026-12-02T10:00:00.000Z). Only a succeeded or failed delivery can be resent",
        "La livraison msg_1 est encore en attente : le livreur va l’envoyer (prochain essai à 2026-12-02T10:00:00.000Z). Seule une livraison réussie ou échouée peut être renvoyée",
      ],
    ],
  "X7 is X7 (was X7).X7": [
    [
      "TASK-2026-000001 is QUEUED (was CREATED). You may move it to ON_HOLD, CANCELLED.",
      "TASK-2026-000001 est QUEUED (était CREATED). Vous pouvez la passer à ON_HOLD, CANCELLED.",
    ],
  ],
  "The last X7 audit entriesX7.": [
    ["The last 5 audit entries of TASK-2026-000001.", "Les 5 dernières entrées d’audit de TASK-2026-000001."],
    ["The last 5 audit entries.", "Les 5 dernières entrées d’audit."],
  ],
  "X7 is required": [
    ["A reason is required", "Une raison est requise"],
    ["A note is required", "Une note est requise"],
  ],
};

describe("the server's messages for people", () => {
  const found = findServerMessages(ROOT).filter((m) => !NOT_FOR_PEOPLE.has(m.text));

  it("are found in the source (errors, field issues, command answers, schemas)", () => {
    expect(found.length).toBeGreaterThan(200);
  });

  it("each have a French template", () => {
    const untranslated = found
      .filter((m) => !(m.text in BUILT_IN_PARTS))
      .filter((m) => localizeMessage(m.text, "fr") === m.text)
      .map((m) => `${m.file}: ${m.text}`);
    expect(untranslated).toEqual([]);
  });

  it("built with conditional parts, come in French in each of their forms", () => {
    for (const [sample, forms] of Object.entries(BUILT_IN_PARTS)) {
      expect(
        found.map((m) => m.text),
        sample,
      ).toContain(sample);
      for (const [english, french] of forms) expect(localizeMessage(english, "fr")).toBe(french);
    }
  });
});
