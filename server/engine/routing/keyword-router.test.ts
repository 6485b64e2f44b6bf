import { describe, expect, it } from "vitest";
import { CAPABILITIES, ROUTING_TABLE } from "@/lib/routing-table";
import { routeRequest } from "./keyword-router";

describe("routeRequest", () => {
  it.each([
    ["bump TASK-2026-000123", "queue/priority-adjuster", ["TASK-2026-000123"]],
    ["annuler TASK-2026-000042 svp", "state-machine/rollback-manager", ["TASK-2026-000042"]],
    ["rapport de la semaine", "tracking/report-generator", []],
    ["Quelle est la capacité de la file critical ?", "queue/capacity-monitor", []],
    ["show the SLA breaches of today", "queue/sla-tracker", []],
    ["débloquer task-2026-000007", "state-machine/blocker-handler", ["TASK-2026-000007"]],
    ["debloquer TASK-2026-000007", "state-machine/blocker-handler", ["TASK-2026-000007"]],
    ["les KPI du mois", "tracking/metrics-collector", []],
    ["historique de TASK-2026-000001", "tracking/audit-logger", ["TASK-2026-000001"]],
    ["retry TASK-2026-000009 after the error", "execution/error-handler", ["TASK-2026-000009"]],
    ["avancement du projet StartupIO", "tracking/progress-tracker", []],
    ["quel est l'état de TASK-2026-000003", "state-machine/state-controller", ["TASK-2026-000003"]],
    ["what is pending in the queue", "queue/queue-manager", []],
  ])("routes %j to %s", (text, capability, taskIds) => {
    const match = routeRequest(text);
    expect(match?.capability).toBe(capability);
    expect(match?.taskIds).toEqual(taskIds);
  });

  it("routes each of the seed's own keywords to its agent", () => {
    for (const capability of CAPABILITIES) {
      const seedKeyword = ROUTING_TABLE[capability][0]!;
      expect(routeRequest(`please ${seedKeyword} now`)?.capability, seedKeyword).toBe(capability);
    }
  });

  it("matches whole words only", () => {
    expect(routeRequest("a bumpy road")).toBeNull();
    expect(routeRequest("catalogue")).toBeNull();
  });

  it("returns null when nothing matches", () => {
    expect(routeRequest("bonjour")).toBeNull();
    expect(routeRequest("")).toBeNull();
  });
});
