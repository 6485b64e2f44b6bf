// The metrics' and reports' figures recomputed from the raw rows (every task and its whole state
// history), written independently of the rollups' SQL: the reference the rollup tests compare
// /metrics and /reports with. Test-only; never on a request path. Definitions:
// metrics-collector.ts and report-generator.ts.

import { TASK_STATES, type TaskStateName } from "@/lib/states";
import type { PrismaClient } from "../../../db/client";

const EXEC = new Set(["IN_PROGRESS", "FAILED", "BLOCKED", "UNBLOCKED"]);
const ENDED = new Set(["COMPLETED", "CANCELLED"]);

export interface RawTask {
  id: string;
  queue: string;
  skill: string | null;
  client: string | null;
  state: string;
  createdAt: number;
  queueEnteredAt: number;
  slaDeadline: number | null;
  history: { state: string; from: string | null; at: number }[];
}

/** The facts of one task, from its history. */
export interface RawFacts {
  task: RawTask;
  startedAt: number | null;
  queueMs: number | null;
  completedAt: number | null;
  cycleMs: number | null;
  execAt: number | null;
  failed: boolean;
  retried: boolean;
  blocked: boolean;
  /** When the SLA was decided (as of `now`) and whether it was met. */
  slaAt: number | null;
  slaMet: boolean;
}

export async function loadRawTasks(prisma: PrismaClient): Promise<RawTask[]> {
  const tasks = await prisma.task.findMany({ orderBy: { id: "asc" } });
  const history = await prisma.taskStateHistory.findMany({ orderBy: [{ at: "asc" }, { id: "asc" }] });
  return tasks.map((t) => ({
    id: t.id,
    queue: t.queueName,
    skill: t.skillTarget || null,
    client: t.clientName || null,
    state: t.state,
    createdAt: t.createdAt.getTime(),
    queueEnteredAt: t.queueEnteredAt.getTime(),
    slaDeadline: t.slaDeadline?.getTime() ?? null,
    history: history
      .filter((h) => h.taskId === t.id)
      .map((h) => ({ state: h.state, from: h.fromState, at: h.at.getTime() })),
  }));
}

export function factsOf(task: RawTask, now: number): RawFacts {
  const first = (pred: (s: string) => boolean) => task.history.find((h) => pred(h.state))?.at ?? null;
  const queuedAt = first((s) => s === "QUEUED");
  const startedAt = first((s) => s === "IN_PROGRESS");
  const completedAt = first((s) => s === "COMPLETED");
  const finishedAt = first((s) => ENDED.has(s));
  const deadline = task.slaDeadline;
  let slaAt: number | null = null;
  if (deadline !== null) {
    if (startedAt !== null) slaAt = Math.min(startedAt, deadline);
    else if (finishedAt !== null) slaAt = finishedAt >= deadline ? deadline : null;
    else if (deadline < now) slaAt = deadline;
  }
  return {
    task,
    startedAt,
    queueMs: startedAt === null ? null : startedAt - (queuedAt ?? task.queueEnteredAt),
    completedAt,
    cycleMs: completedAt === null ? null : completedAt - task.createdAt,
    execAt: first((s) => EXEC.has(s)),
    failed: task.history.some((h) => h.state === "FAILED"),
    retried: task.history.some((h) => h.state === "IN_PROGRESS" && h.from === "FAILED"),
    blocked: task.history.some((h) => h.state === "BLOCKED"),
    slaAt,
    slaMet: startedAt !== null && deadline !== null && startedAt <= deadline,
  };
}

const inside = (t: number | null, from: number, to: number): t is number => t !== null && t >= from && t < to;

/** percentile_cont over the values. */
function percentileCont(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const lo = sorted[Math.floor(rank)]!;
  const hi = sorted[Math.ceil(rank)]!;
  return lo + (rank - Math.floor(rank)) * (hi - lo);
}

export interface RawCounters {
  started: number;
  queueMeanS: number | null;
  completed: number;
  cycleMeanS: number | null;
  cycleP50S: number | null;
  cycleP90S: number | null;
  slaTotal: number;
  slaMet: number;
  active: number;
  failed: number;
  retried: number;
  blocked: number;
}

/** The metrics' counters over [from, to) for the facts given (one queue, or all). */
export function rawCounters(facts: RawFacts[], from: number, to: number): RawCounters {
  const started = facts.filter((f) => inside(f.startedAt, from, to));
  const completed = facts.filter((f) => inside(f.completedAt, from, to));
  const sla = facts.filter((f) => inside(f.slaAt, from, to));
  const cohort = facts.filter((f) => inside(f.execAt, from, to));
  const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length / 1000);
  const cycles = completed.map((f) => f.cycleMs!);
  return {
    started: started.length,
    queueMeanS: mean(started.map((f) => f.queueMs!)),
    completed: completed.length,
    cycleMeanS: mean(cycles),
    cycleP50S: percentileCont(cycles, 0.5) === null ? null : percentileCont(cycles, 0.5)! / 1000,
    cycleP90S: percentileCont(cycles, 0.9) === null ? null : percentileCont(cycles, 0.9)! / 1000,
    slaTotal: sla.length,
    slaMet: sla.filter((f) => f.slaMet).length,
    active: cohort.length,
    failed: cohort.filter((f) => f.failed).length,
    retried: cohort.filter((f) => f.retried).length,
    blocked: cohort.filter((f) => f.blocked).length,
  };
}

export interface RawReportRow {
  tasks: number;
  byState: Record<TaskStateName, number>;
  completed: number;
  failed: number;
  cycleMeanS: number | null;
  slaTotal: number;
  slaMet: number;
}

/**
 * A report row over [from, to) for the facts given (one group): the tasks active in it by their
 * state at `to` (the history row before `to`), completions, failures (entries into FAILED),
 * cycle mean and SLA decisions in it.
 */
export function rawReportRow(facts: RawFacts[], from: number, to: number): RawReportRow {
  const byState = Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<TaskStateName, number>;
  for (const f of facts) {
    const before = f.task.history.filter((h) => h.at < to);
    const last = before[before.length - 1];
    if (!last) continue;
    if (ENDED.has(last.state)) {
      const endedAt = before.find((h) => h.state === last.state)!.at;
      if (endedAt < from) continue;
    }
    byState[last.state as TaskStateName] += 1;
  }
  const counters = rawCounters(facts, from, to);
  return {
    tasks: TASK_STATES.reduce((sum, s) => sum + byState[s], 0),
    byState,
    completed: counters.completed,
    failed: facts.reduce(
      (sum, f) =>
        sum + f.task.history.filter((h) => h.state === "FAILED" && h.at >= from && h.at < to).length,
      0,
    ),
    cycleMeanS: counters.cycleMeanS,
    slaTotal: counters.slaTotal,
    slaMet: counters.slaMet,
  };
}
