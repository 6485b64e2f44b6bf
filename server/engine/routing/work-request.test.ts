import { describe, expect, it } from "vitest";
import { proposeWork } from "./work-request";

const NOW = new Date("2026-12-01T10:00:00Z");

describe("proposeWork", () => {
  it("reads the seed's own sentence as the e-commerce chain with its budget and deadline", () => {
    expect(proposeWork("Refonte site e-commerce, budget 20k€, deadline juin", NOW)).toEqual({
      template_id: "ecommerce-redesign",
      matched: ["e-commerce", "refonte"],
      context: { client: {}, project: { type: "ecommerce", budget_range: "20k€", deadline: "2027-06-30" } },
      missing: ["client"],
    });
  });

  it("takes a range, a client and an English month", () => {
    const proposal = proposeWork("E-commerce redesign for Boutique Martin, 15-25k€, before March", NOW);
    expect(proposal).toMatchObject({
      template_id: "ecommerce-redesign",
      context: {
        client: { name: "Boutique Martin" },
        project: { budget_range: "15-25k€", deadline: "2027-03-31" },
      },
      missing: [],
    });
  });

  it("dates a month still ahead this year, a day/month, and reads plain euros", () => {
    const july = new Date("2026-05-10T10:00:00Z");
    expect(proposeWork("refonte boutique en ligne, deadline juin", july)?.context.project.deadline).toBe(
      "2026-06-30",
    );
    expect(proposeWork("refonte e-commerce d'ici le 15/06", NOW)?.context.project.deadline).toBe(
      "2027-06-15",
    );
    expect(proposeWork("refonte e-commerce budget 20 000 €", NOW)?.context.project.budget_range).toBe("20k€");
  });

  it("chooses the security incident chain from its words", () => {
    expect(proposeWork("Faille de sécurité en production chez Acme", NOW)).toMatchObject({
      template_id: "security-incident",
      context: { client: { name: "Acme" } },
    });
  });

  it("proposes nothing for a sentence that names no template", () => {
    expect(proposeWork("bump TASK-2026-000012", NOW)).toBeNull();
    expect(proposeWork("rapport de la semaine", NOW)).toBeNull();
  });
});
