import { hostname } from "node:os";
import { workflowSteps } from "@/lib/workflows";
import type { Task } from "../../db/generated/client";
import type { Logger } from "../../logger";
import type { EngineContext } from "../context";
import { isDomainError } from "../errors";
import { DEFAULT_LEASE_MS } from "./leases";
import type { Random } from "./retry-policy";
import { ANY_SKILL, blockWork, claimTasks, completeWork, failWork, heartbeat } from "./worker-protocol";

// The built-in simulated executor, so the demo board lives: an in-process worker that speaks
// the same worker protocol as real ones (claim, heartbeat, complete / fail / block — the
// functions, not HTTP). It claims work for every skill, advances progress and the workflow's
// steps over a scaled duration (estimated_duration_hours × secondsPerHour, ±30 %), fails about
// 8 % of its tasks (mostly recoverably, so the error-handler retries them) and blocks about 3 %
// ("Attente validation client"). On when ORCHESTRATOR_DEMO=1, or as ORCHESTRATOR_SIMULATOR says.
// Skills whose executor is a webhook or a human team are not its to work: the claim leaves their
// tasks out (worker-protocol.ts, skill-executors.ts).

export interface SimulatorOptions {
  workerId?: string;
  /** Real seconds one estimated hour takes (default 12: a 2 h task runs ~24 s). */
  secondsPerHour?: number;
  /** Duration of a task without an estimate, in hours (default 1.5). */
  defaultHours?: number;
  minTaskMs?: number;
  maxTaskMs?: number;
  tickMs?: number;
  /** Tasks run at once at most (default 12; queue capacities apply anyway). */
  maxConcurrent?: number;
  failureRate?: number;
  /** Share of the failures that are unrecoverable (default 0.15). */
  unrecoverableShare?: number;
  blockRate?: number;
  /**
   * Intakes whose tasks always complete (no simulated failure or block): the demo's worked
   * example must run to its end — TASK-001, then TASK-002 unblocked automatically, then TASK-003.
   */
  reliableIntakes?: readonly string[];
  leaseMs?: number;
  random?: Random;
}

type Fate = "complete" | "fail" | "block";

interface Job {
  taskId: string;
  type: string;
  startedAt: number;
  durationMs: number;
  fate: Fate;
  /** Fraction of the duration at which a failure or a block happens. */
  fateAt: number;
  recoverable: boolean;
  reportedProgress: number;
  reportedStep: string | null;
  lastBeatAt: number;
}

const FAILURES = [
  "Upstream API timed out",
  "Build failed: flaky integration test",
  "Rate limited by the LLM provider",
  "Staging environment unreachable",
];
const UNRECOVERABLE = ["Brief incomplet : budget manquant", "Access to the client's repository denied"];

export const SIMULATOR_DEFAULTS = {
  secondsPerHour: 12,
  defaultHours: 1.5,
  minTaskMs: 4_000,
  maxTaskMs: 90_000,
  tickMs: 1_000,
  maxConcurrent: 12,
  failureRate: 0.08,
  unrecoverableShare: 0.15,
  blockRate: 0.03,
};

export class Simulator {
  readonly workerId: string;
  private readonly options: typeof SIMULATOR_DEFAULTS & {
    leaseMs: number;
    random: Random;
    reliableIntakes: readonly string[];
  };
  private readonly jobs = new Map<string, Job>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly ctx: EngineContext,
    private readonly logger: Logger,
    options: SimulatorOptions = {},
  ) {
    this.workerId = options.workerId ?? `simulator@${hostname()}`;
    this.options = {
      ...SIMULATOR_DEFAULTS,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
      random: options.random ?? Math.random,
      reliableIntakes: options.reliableIntakes ?? [],
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops ticking and waits for the tick in flight. Held tasks keep their leases (adopted on restart). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  get activeTasks(): string[] {
    return [...this.jobs.keys()];
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .catch((error) => this.logger.warn({ err: error }, "simulator tick failed"))
        .finally(() => this.schedule(this.options.tickMs));
    }, ms);
    this.timer.unref?.();
  }

  private adopted = false;

  /** One step of the simulation: adopt own leases after a restart, claim, advance every job. */
  async tick(): Promise<void> {
    if (!this.adopted) {
      this.adopted = true;
      await this.adoptOwnLeases();
    }
    const room = this.options.maxConcurrent - this.jobs.size;
    if (room > 0 && !this.stopped) {
      const { tasks } = await claimTasks(this.ctx, {
        workerId: this.workerId,
        skills: [ANY_SKILL],
        max: room,
        leaseMs: this.options.leaseMs,
      });
      for (const task of tasks) this.jobs.set(task.id, this.newJob(task, 0));
    }
    for (const job of [...this.jobs.values()]) {
      if (this.stopped) return;
      try {
        await this.advance(job);
      } catch (error) {
        // The task moved under us (cancelled, blocked by a person, lease lost): let it go.
        if (!isDomainError(error)) throw error;
        this.jobs.delete(job.taskId);
      }
    }
  }

  private async adoptOwnLeases(): Promise<void> {
    const mine = await this.ctx.prisma.task.findMany({
      where: {
        state: "IN_PROGRESS",
        leaseOwner: this.workerId,
        leaseExpiresAt: { gt: this.ctx.clock.now() },
      },
    });
    for (const task of mine) this.jobs.set(task.id, this.newJob(task, task.progressPercent / 100));
  }

  private newJob(task: Task, doneFraction: number): Job {
    const { random } = this.options;
    const hours = task.estimatedDurationHours ?? this.options.defaultHours;
    const raw = hours * this.options.secondsPerHour * 1_000 * (0.7 + 0.6 * random());
    const durationMs = Math.min(this.options.maxTaskMs, Math.max(this.options.minTaskMs, raw));
    const roll = random();
    const reliable = task.intakeId !== null && this.options.reliableIntakes.includes(task.intakeId);
    const fate: Fate = reliable
      ? "complete"
      : roll < this.options.failureRate
        ? "fail"
        : roll < this.options.failureRate + this.options.blockRate
          ? "block"
          : "complete";
    return {
      taskId: task.id,
      type: task.type,
      startedAt: Date.now() - doneFraction * durationMs,
      durationMs,
      fate,
      fateAt: 0.2 + 0.6 * random(),
      recoverable: random() >= this.options.unrecoverableShare,
      reportedProgress: task.progressPercent,
      reportedStep: task.currentStep,
      lastBeatAt: Date.now(),
    };
  }

  private pick(list: readonly string[]): string {
    return list[Math.floor(this.options.random() * list.length) % list.length] ?? list[0]!;
  }

  private async advance(job: Job): Promise<void> {
    const now = Date.now();
    const fraction = Math.min(1, (now - job.startedAt) / job.durationMs);
    if (job.fate === "fail" && fraction >= job.fateAt) {
      const error = job.recoverable ? this.pick(FAILURES) : this.pick(UNRECOVERABLE);
      await failWork(
        this.ctx,
        job.taskId,
        this.workerId,
        { error, recoverable: job.recoverable },
        { random: this.options.random },
      );
      this.jobs.delete(job.taskId);
      return;
    }
    if (job.fate === "block" && fraction >= job.fateAt) {
      await blockWork(this.ctx, job.taskId, this.workerId, "Attente validation client");
      this.jobs.delete(job.taskId);
      return;
    }
    if (fraction >= 1) {
      await completeWork(this.ctx, job.taskId, this.workerId, {
        deliverables: [{ name: `${job.type} deliverable`, produced_by: this.workerId }],
        notes: [`Simulated run of ${Math.round(job.durationMs / 1_000)} s`],
      });
      this.jobs.delete(job.taskId);
      return;
    }
    const steps = workflowSteps(job.type);
    const step =
      steps.length > 0
        ? (steps[Math.min(steps.length - 1, Math.floor(fraction * steps.length))] ?? null)
        : null;
    const progress = Math.min(99, Math.floor(fraction * 100));
    const stepChanged = step !== null && step !== job.reportedStep;
    const leaseDue = now - job.lastBeatAt >= this.options.leaseMs / 3;
    if (!stepChanged && progress - job.reportedProgress < 10 && !leaseDue) return;
    await heartbeat(this.ctx, job.taskId, this.workerId, {
      progressPercent: progress,
      ...(stepChanged ? { currentStep: step } : {}),
      leaseMs: this.options.leaseMs,
    });
    job.reportedProgress = progress;
    job.reportedStep = step ?? job.reportedStep;
    job.lastBeatAt = now;
  }
}

/** ORCHESTRATOR_SIMULATOR (1/0) decides; otherwise on in demo mode (ORCHESTRATOR_DEMO=1). */
export function simulatorEnabled(env: Record<string, string | undefined> = process.env): boolean {
  const flag = (value: string | undefined) => value === "1" || value === "true";
  const explicit = env.ORCHESTRATOR_SIMULATOR;
  if (explicit !== undefined && explicit !== "") return flag(explicit);
  return flag(env.ORCHESTRATOR_DEMO);
}

/** Simulator options from the environment (ORCHESTRATOR_SIMULATOR_SECONDS_PER_HOUR). */
export function simulatorOptionsFromEnv(
  env: Record<string, string | undefined> = process.env,
): SimulatorOptions {
  const perHour = Number(env.ORCHESTRATOR_SIMULATOR_SECONDS_PER_HOUR);
  return Number.isFinite(perHour) && perHour > 0 ? { secondsPerHour: perHour } : {};
}
