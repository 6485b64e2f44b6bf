import type { Permission } from "@/lib/permissions";
import type { Capability } from "@/lib/routing-table";
import { TEMPLATES } from "@/lib/templates";
import { transitionsFrom } from "@/lib/transitions";
import { workflowSteps } from "@/lib/workflows";
import type { Actor, EngineContext } from "../context";
import { loadSeedTask } from "../format/seed-format";
import { bumpTask } from "../queue/priority-adjuster";
import { queueStats } from "../queue/stats";
import { blockTask, holdTask, releaseTask, unblockTask } from "../state/blocker-handler";
import { cancelTask, revertLastTransition } from "../state/rollback-manager";
import { transitionTask } from "../state/state-controller";
import { queryAudit } from "../tracking/audit-query";
import { collectMetrics } from "../tracking/metrics-collector";
import { generateReport } from "../tracking/report-generator";
import { routeRequest } from "./keyword-router";

/** Who runs the command: what they may do, and how the engine records them (null = read-only). */
export interface CommandCaller {
  actor: Actor | null;
  can(permission: Permission): boolean;
}

export interface CommandOutcome {
  capability: Capability | null;
  keywords: string[];
  task_ids: string[];
  /** done: it acted; info: it answered; needs: say more; forbidden / unknown: nothing happened. */
  status: "done" | "info" | "needs" | "forbidden" | "unknown";
  message: string;
  needs?: string[];
  result?: unknown;
}

type Handler = (
  ctx: EngineContext,
  request: ParsedCommand,
  caller: CommandCaller,
) => Promise<Omit<CommandOutcome, "capability" | "keywords" | "task_ids">>;

interface ParsedCommand {
  text: string;
  keywords: string[];
  taskId: string | undefined;
}

const DAY_MS = 86_400_000;

const has = (request: ParsedCommand, ...words: string[]) => words.some((w) => request.keywords.includes(w));

/** A command that acts on one task needs its id and a permission; this answers for both. */
function guard(request: ParsedCommand, caller: CommandCaller, permission: Permission) {
  if (!request.taskId)
    return {
      status: "needs" as const,
      message: "Which task? Name it as TASK-YYYY-NNNNNN.",
      needs: ["task_id"],
    };
  if (!caller.can(permission) || !caller.actor) {
    return { status: "forbidden" as const, message: `You need the ${permission} permission for this.` };
  }
  return null;
}

/** The period a report or metrics request speaks of: day, week (default) or month. */
function periodOf(text: string, now: Date): { from: Date; to: Date; label: string } {
  const t = text.toLowerCase();
  const days = /\b(jour|aujourd'hui|today|day|daily)\b/.test(t)
    ? 1
    : /\b(mois|month|monthly)\b/.test(t)
      ? 30
      : 7;
  return {
    from: new Date(now.getTime() - days * DAY_MS),
    to: now,
    label: days === 1 ? "last 24 h" : `last ${days} days`,
  };
}

const taskAction =
  (
    permission: Permission,
    act: (ctx: EngineContext, id: string, actor: Actor, text: string) => Promise<unknown>,
    verb: string,
  ): Handler =>
  async (ctx, request, caller) => {
    const refused = guard(request, caller, permission);
    if (refused) return refused;
    await act(ctx, request.taskId!, caller.actor!, request.text);
    const task = await loadSeedTask(ctx.prisma, request.taskId!);
    return {
      status: "done",
      message: `${request.taskId} ${verb}; now ${task?.state.current}.`,
      result: { task },
    };
  };

async function showTask(
  ctx: EngineContext,
  request: ParsedCommand,
  render: (task: NonNullable<Awaited<ReturnType<typeof loadSeedTask>>>) => {
    message: string;
    result?: unknown;
  },
) {
  if (!request.taskId)
    return {
      status: "needs" as const,
      message: "Which task? Name it as TASK-YYYY-NNNNNN.",
      needs: ["task_id"],
    };
  const task = await loadSeedTask(ctx.prisma, request.taskId);
  if (!task) return { status: "info" as const, message: `${request.taskId} does not exist.` };
  return { status: "info" as const, ...render(task) };
}

const HANDLERS: Record<Capability, Handler> = {
  "queue/priority-adjuster": taskAction(
    "tasks:reorder",
    (ctx, id, actor) => bumpTask(ctx, id, actor),
    "bumped (+10)",
  ),
  "state-machine/rollback-manager": async (ctx, request, caller) =>
    has(request, "rollback", "revert", "défaire")
      ? taskAction(
          "tasks:transition",
          (c, id, actor, text) => revertLastTransition(c, id, actor, { reason: text }),
          "reverted",
        )(ctx, request, caller)
      : taskAction(
          "tasks:transition",
          (c, id, actor, text) => cancelTask(c, id, actor, { reason: text }),
          "cancelled",
        )(ctx, request, caller),
  "state-machine/blocker-handler": (ctx, request, caller) => {
    if (has(request, "débloquer", "unblock"))
      return taskAction("tasks:transition", (c, id, a) => unblockTask(c, id, a), "unblocked")(
        ctx,
        request,
        caller,
      );
    if (has(request, "release", "libérer"))
      return taskAction("tasks:transition", (c, id, a) => releaseTask(c, id, a), "released")(
        ctx,
        request,
        caller,
      );
    if (has(request, "hold", "suspendre"))
      return taskAction("tasks:transition", (c, id, a) => holdTask(c, id, a), "put on hold")(
        ctx,
        request,
        caller,
      );
    return taskAction(
      "tasks:transition",
      (c, id, a, text) => blockTask(c, id, a, { reason: text }),
      "blocked",
    )(ctx, request, caller);
  },
  "execution/error-handler": taskAction(
    "tasks:transition",
    (c, id, a) => transitionTask(c, id, "IN_PROGRESS", a),
    "retried",
  ),
  "state-machine/state-controller": (ctx, request, caller) =>
    showTask(ctx, request, (task) => {
      const role =
        caller.actor?.role === "system" || caller.actor?.role === "executor" ? undefined : caller.actor?.role;
      const allowed = role ? transitionsFrom(task.state.current, role).map((t) => t.to) : [];
      return {
        message: `${task.id} is ${task.state.current} (was ${task.state.previous ?? "—"}).${allowed.length ? ` You may move it to ${allowed.join(", ")}.` : ""}`,
        result: { state: task.state, allowed },
      };
    }),
  "tracking/progress-tracker": (ctx, request) =>
    showTask(ctx, request, (task) => ({
      message: `${task.id}: ${task.execution.progress_percent} %${task.execution.current_step ? `, step ${task.execution.current_step}` : ""}.`,
      result: { execution: task.execution },
    })),
  "execution/result-collector": (ctx, request) =>
    showTask(ctx, request, (task) => ({
      message: `${task.id}: ${task.output.deliverables.length} deliverable(s), ${task.output.notes.length} note(s).`,
      result: { output: task.output },
    })),
  "execution/parallel-executor": (ctx, request) =>
    showTask(ctx, request, (task) => ({
      message: `${task.id} has ${task.dependencies.subtasks.length} subtask(s).`,
      result: { subtasks: task.dependencies.subtasks },
    })),
  "execution/task-dispatcher": (ctx, request) =>
    showTask(ctx, request, (task) => ({
      message:
        task.state.current === "QUEUED"
          ? `${task.id} waits at position ${(task.queue.position ?? 0) + 1} of ${task.queue.name}; it is dispatched automatically when a slot is free${task.dependencies.blocked_by.length ? " and its blockers are done" : ""}.`
          : `${task.id} is ${task.state.current}; dispatch is automatic.`,
      result: { queue: task.queue },
    })),
  "state-machine/workflow-engine": async (ctx, request) => {
    if (!request.taskId) {
      return {
        status: "info",
        message: `Templates: ${TEMPLATES.map((t) => t.id).join(", ")}.`,
        result: { templates: TEMPLATES.map(({ id, name }) => ({ id, name })) },
      };
    }
    return showTask(ctx, request, (task) => {
      const steps = workflowSteps(task.definition.type);
      return {
        message: `${task.id} (${task.definition.type}): step ${task.execution.current_step ?? "—"} of ${steps.join(" → ") || "no workflow"}.`,
        result: { steps, current: task.execution.current_step },
      };
    });
  },
  "tracking/audit-logger": async (ctx, request, caller) => {
    if (!caller.can("audit:read"))
      return { status: "forbidden", message: "You need the audit:read permission for this." };
    const page = await queryAudit(ctx, { taskId: request.taskId, limit: 10 });
    return {
      status: "info",
      message: `The last ${page.entries.length} audit entries${request.taskId ? ` of ${request.taskId}` : ""}.`,
      result: page,
    };
  },
  "tracking/report-generator": async (ctx, request, caller) => {
    if (!caller.can("reports:read"))
      return { status: "forbidden", message: "You need the reports:read permission for this." };
    const { from, to, label } = periodOf(request.text, ctx.clock.now());
    const report = await generateReport(ctx, { from, to, groupBy: "queue" });
    const download = `/api/v1/reports?group_by=queue&from=${from.toISOString()}&to=${to.toISOString()}&format=csv`;
    return {
      status: "info",
      message: `Report of the ${label}, by queue. CSV: ${download}`,
      result: { report, download },
    };
  },
  "tracking/metrics-collector": async (ctx, request, caller) => {
    if (!caller.can("metrics:read"))
      return { status: "forbidden", message: "You need the metrics:read permission for this." };
    const { from, to, label } = periodOf(request.text, ctx.clock.now());
    const metrics = await collectMetrics(ctx, { from, to }, { series: false });
    const sla = metrics.overall.slaCompliance.value;
    return {
      status: "info",
      message: `KPIs of the ${label}: SLA compliance ${sla === null ? "n/a" : `${sla} %`}.`,
      result: metrics,
    };
  },
  "queue/queue-manager": queueAnswer("waiting"),
  "queue/capacity-monitor": queueAnswer("capacity"),
  "queue/sla-tracker": queueAnswer("sla"),
};

function queueAnswer(focus: "waiting" | "capacity" | "sla"): Handler {
  return async (ctx) => {
    const stats = await queueStats(ctx.prisma, ctx.clock);
    const line = (q: (typeof stats)[number]) =>
      focus === "capacity"
        ? `${q.queue} ${q.inProgress}/${q.capacity ?? "∞"}`
        : focus === "sla"
          ? `${q.queue} ${q.atRisk} at risk, ${q.breached} breached`
          : `${q.queue} ${q.waiting} waiting`;
    return { status: "info", message: stats.map(line).join("; "), result: { queues: stats } };
  };
}

/**
 * The command router: routes free text (French or English) with the seed's keyword table and
 * runs the capability's command, or says what it needs. Everything it changes goes through the
 * same engine commands, permissions and audit as the API.
 */
export async function executeCommand(
  ctx: EngineContext,
  text: string,
  caller: CommandCaller,
): Promise<CommandOutcome> {
  const route = routeRequest(text);
  if (!route) {
    return {
      capability: null,
      keywords: [],
      task_ids: [],
      status: "unknown",
      message:
        'I did not recognise a request. Try "bump TASK-2026-000123", "annuler TASK-…", "rapport de la semaine".',
    };
  }
  const request = { text, keywords: route.keywords, taskId: route.taskIds[0] };
  const outcome = await HANDLERS[route.capability](ctx, request, caller);
  return { capability: route.capability, keywords: route.keywords, task_ids: route.taskIds, ...outcome };
}
