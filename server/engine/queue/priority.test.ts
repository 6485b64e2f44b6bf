import { describe, expect, it } from "vitest";
import {
  deadlineFactors,
  normalizeFactors,
  PRIORITY_FACTORS,
  queueForScore,
  scoreFromFactors,
} from "@/lib/priority";
import { QUEUE_NAMES } from "@/lib/queues";
import { firstStep, nextStep, stepProgress, WORKFLOWS, workflowSteps } from "@/lib/workflows";

describe("priority formula", () => {
  it("is 50 + the weights of the distinct named factors, clamped to 0-100", () => {
    expect(scoreFromFactors([])).toBe(50);
    expect(scoreFromFactors(["existing_client", "deadline_soon"])).toBe(78); // the seed's example
    expect(scoreFromFactors(["existing_client", "existing_client"])).toBe(58);
    expect(scoreFromFactors(["security", "production_incident"])).toBe(100);
    expect(scoreFromFactors(["best_effort", "nice_to_hav"])).toBe(10);
    expect(scoreFromFactors(["best_effort", "nice_to_have"])).toBe(0);
    expect(Object.keys(PRIORITY_FACTORS)).toEqual(
      expect.arrayContaining([
        "existing_client",
        "vip_client",
        "deadline_soon",
        "deadline_passed",
        "production_incident",
        "security",
        "manual_bump",
      ]),
    );
  });

  it("maps every score to a queue, never to scheduled", () => {
    const seen = new Set<string>();
    for (let s = 100; s >= 0; s--) seen.add(queueForScore(s));
    expect([...seen]).toEqual(QUEUE_NAMES.filter((q) => q !== "scheduled"));
    expect([queueForScore(90), queueForScore(89), queueForScore(65), queueForScore(64)]).toEqual([
      "critical",
      "urgent",
      "high_priority",
      "normal",
    ]);
  });

  it("derives deadline factors from the calendar day (UTC)", () => {
    const now = new Date("2026-03-02T09:00:00Z");
    expect(deadlineFactors("2026-03-02", now)).toEqual(["deadline_soon"]);
    expect(deadlineFactors("2026-03-01", now)).toEqual(["deadline_passed"]);
    expect(deadlineFactors("2026-03-16", now)).toEqual(["deadline_soon"]);
    expect(deadlineFactors("2026-03-17", now)).toEqual([]);
    expect(deadlineFactors(null, now)).toEqual([]);
    expect(normalizeFactors(["deadline_soon", "vip_client", "vip_client"], "2026-01-01", now)).toEqual([
      "vip_client",
      "deadline_passed",
    ]);
  });
});

describe("workflows", () => {
  it("walks a type's steps", () => {
    expect(workflowSteps("analysis")).toEqual([
      "context_review",
      "requirements_extraction",
      "risk_assessment",
      "summary",
    ]);
    expect(firstStep("analysis")).toBe("context_review");
    expect(nextStep("analysis", "risk_assessment")).toBe("summary");
    expect(nextStep("analysis", "summary")).toBeNull();
    expect(nextStep("analysis", null)).toBe("context_review");
    expect(stepProgress("analysis", "requirements_extraction")).toBe(25);
    expect(workflowSteps("toString")).toEqual([]);
    expect(firstStep("generic")).toBeNull();
    for (const steps of Object.values(WORKFLOWS)) expect(new Set(steps).size).toBe(steps.length);
  });
});
