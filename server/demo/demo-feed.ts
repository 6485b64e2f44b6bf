import type { Actor, EngineContext } from "../engine/context";
import type { Random } from "../engine/execution/retry-policy";
import { createTask } from "../engine/queue/create-task";
import { instantiateTemplate } from "../engine/state/workflow-engine";
import type { Logger } from "../logger";
import { demoTasks } from "./demo-tasks";

// The demo's steady stream of client requests, so the board and the wall never go still: now and
// then a new intake (a template's chain for a client) or a single task, as client-intake would
// send them. It holds back while enough work is open, so queues move without flooding: the
// simulator completes work at about the rate new work arrives.

const FEED_ACTOR: Actor = { id: "client-intake", role: "system" };

export interface DemoFeedOptions {
  /** Mean time between two arrivals (default 12 s; each wait is drawn in [0.5, 1.5] × this). */
  meanIntervalMs?: number;
  /** No new work while this many tasks are open (not completed, cancelled or failed). Default 60. */
  maxOpen?: number;
  /** Share of arrivals that are a whole chain (a client's intake) rather than one task. Default 0.35. */
  chainShare?: number;
  random?: Random;
}

const CLIENTS = [
  { name: "Maison Lefèvre", contact: "Claire Lefèvre" },
  { name: "Librairie Moreau", contact: "Paul Moreau" },
  { name: "Cave Girard", contact: "Inès Girard" },
  { name: "Fromagerie Roux", contact: "Antoine Roux" },
  { name: "Studio Fournier", contact: "Léa Fournier" },
  { name: "Garage Lambert", contact: "Marc Lambert" },
];
const BUDGETS = ["8-12k€", "15-25k€", "20k€", "30-40k€"];

/** One arrival: a chain for a client (with its intake id), or one of the demo's tasks. */
export async function feedOnce(ctx: EngineContext, random: Random, chainShare: number): Promise<string[]> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length) % list.length]!;
  const now = ctx.clock.now();
  if (random() < chainShare) {
    const client = pick(CLIENTS);
    const template = random() < 0.8 ? "ecommerce-redesign" : "security-incident";
    // Numbered like client-intake's own (INK-YYYY-NNNNNN), from the clock: one arrival per second at most.
    const intake = `INK-${now.getUTCFullYear()}-${String(Math.floor(now.getTime() / 1000) % 1_000_000).padStart(6, "0")}`;
    const deadline = new Date(now.getTime() + (30 + Math.floor(random() * 90)) * 86_400_000);
    const tasks = await instantiateTemplate(
      ctx,
      template,
      {
        intake_id: intake,
        context: {
          client,
          project: {
            type: template === "ecommerce-redesign" ? "ecommerce" : "incident",
            budget_range: pick(BUDGETS),
            deadline: deadline.toISOString().slice(0, 10),
          },
        },
      },
      FEED_ACTOR,
    );
    return tasks.map((task) => task.id);
  }
  const input = pick(demoTasks());
  const task = await createTask(ctx, input, FEED_ACTOR);
  return [task.id];
}

/** Starts the stream; the returned function stops it. */
export function startDemoFeed(ctx: EngineContext, logger: Logger, options: DemoFeedOptions = {}): () => void {
  const mean = options.meanIntervalMs ?? 12_000;
  const maxOpen = options.maxOpen ?? 60;
  const chainShare = options.chainShare ?? 0.35;
  const random = options.random ?? Math.random;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const next = () => {
    if (stopped) return;
    timer = setTimeout(tick, mean * (0.5 + random()));
    timer.unref?.();
  };
  async function tick() {
    try {
      const open = await ctx.prisma.task.count({
        where: { state: { notIn: ["COMPLETED", "CANCELLED", "FAILED"] } },
      });
      if (open < maxOpen) {
        const ids = await feedOnce(ctx, random, chainShare);
        logger.info({ ids, open }, "demo: new client request");
      }
    } catch (error) {
      logger.warn({ err: error }, "demo feed failed; next arrival as planned");
    }
    next();
  }
  next();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
