import type { Actor, EngineContext } from "../engine/context";
import { createTask } from "../engine/queue/create-task";
import { instantiateTemplate } from "../engine/state/workflow-engine";
import { seedDemoConflict } from "./demo-conflict";
import { seedDemoHistory } from "./demo-history";
import { demoTasks, WORKED_EXAMPLE_INTAKE, WORKED_EXAMPLE_REQUEST, workedExampleContext } from "./demo-tasks";

const DEMO_ACTOR: Actor = { id: "client-intake", role: "system" };

/**
 * Loads the seed's worked example ("Refonte site e-commerce, budget 20k€, deadline juin": brief
 * analysis → tech scoping → architecture, through the ecommerce-redesign template), a few dozen
 * realistic open tasks, a dependency conflict for a person (demo-conflict.ts) and 30 days of
 * finished work (demo-history.ts) so charts and reports have substance. Idempotent: does nothing when the worked example is already there. Returns how many
 * tasks it created. In demo mode the simulator then works them and the demo feed adds more.
 */
export async function seedDemoData(ctx: EngineContext): Promise<number> {
  const existing = await ctx.prisma.task.count({ where: { intakeId: WORKED_EXAMPLE_INTAKE } });
  if (existing > 0) return 0;

  const chain = await instantiateTemplate(
    ctx,
    "ecommerce-redesign",
    {
      intake_id: WORKED_EXAMPLE_INTAKE,
      context: workedExampleContext,
      request: WORKED_EXAMPLE_REQUEST,
      priority: { factors: ["existing_client", "deadline_soon"] },
    },
    DEMO_ACTOR,
  );
  const tasks = demoTasks();
  for (const input of tasks) await createTask(ctx, input, DEMO_ACTOR);
  const conflict = await seedDemoConflict(ctx, DEMO_ACTOR);
  const history = await seedDemoHistory(ctx, ctx.clock.now());
  return chain.length + tasks.length + conflict + history;
}
