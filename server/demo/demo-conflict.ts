import type { Actor, EngineContext } from "../engine/context";
import { createTask } from "../engine/queue/create-task";
import { transitionTask } from "../engine/state/state-controller";
import { DEMO_CLIENT_MANAGERS } from "./demo-account-managers";

// One decision waiting for a person from the first minute: the client dropped a task another one
// waits on, a dependency conflict escalated to the client's account manager. The simulator's own
// failures escalate too, but by chance; without this a fresh demo's inbox and wall could be empty.

const client = { name: "Boulangerie Dupont", contact: "Jean Dupont" };

export const DEMO_CONFLICT_INTAKE = "INK-2026-000200";

/** Creates the dropped task and its dependent; returns how many tasks it created. */
export async function seedDemoConflict(ctx: EngineContext, actor: Actor): Promise<number> {
  const shoot = await createTask(
    ctx,
    {
      intake_id: DEMO_CONFLICT_INTAKE,
      definition: {
        title: "Product photo shoot",
        description: "Photos of the new range for Boulangerie Dupont's shop.",
        type: "design",
        skill_target: "design",
        entry_point: "design/photos",
      },
      queue: { name: "normal" },
      execution: { estimated_duration_hours: 4 },
      context: { client, project: { type: "ecommerce", budget_range: "5k-15k" } },
    },
    actor,
  );
  await createTask(
    ctx,
    {
      intake_id: DEMO_CONFLICT_INTAKE,
      definition: {
        title: "Product pages with the new photos",
        description: "The online shop's product pages, with the photos of the shoot.",
        type: "feature",
        skill_target: "frontend",
        entry_point: "feature/catalogue",
      },
      queue: { name: "high_priority" },
      priority: { score: 62, factors: ["existing_client"] },
      execution: { estimated_duration_hours: 6 },
      dependencies: { blocked_by: [shoot.id] },
      context: { client, project: { type: "ecommerce", budget_range: "5k-15k" } },
    },
    actor,
  );
  // The client told their account manager, who cancelled it.
  const manager: Actor = { id: `user:${DEMO_CLIENT_MANAGERS[client.name]?.[0]}`, role: "account_manager" };
  await transitionTask(ctx, shoot.id, "CANCELLED", manager, {
    reason: "The client postponed the photo shoot to the autumn",
  });
  return 2;
}
