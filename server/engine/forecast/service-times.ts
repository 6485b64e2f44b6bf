import type { Tx } from "../context";

// How long a task of a skill takes, from what recently happened (docs/forecast.md). Per skill,
// the last SAMPLE_SIZE completions of the last SAMPLE_WINDOW_MS: the median duration (started →
// completed, retries included: that is the service the queue gave), and the median ratio of that
// duration to the task's estimated_duration_hours. A task with an estimate is forecast at
// estimate × ratio (the skill's estimates calibrated by its real pace: the simulator's hours are
// seconds, a slow team's hours are longer); without one, at the skill's median; with neither,
// DEFAULT_SERVICE_MS.

export const SAMPLE_SIZE = 20;
export const SAMPLE_WINDOW_MS = 7 * 24 * 3_600_000;
/** Fewer completions than this say too little about a skill: not used. */
export const MIN_SAMPLES = 3;
export const DEFAULT_SERVICE_MS = 60 * 60_000;
const HOUR_MS = 3_600_000;

export interface SkillServiceTime {
  /** Median duration of the skill's recent completions, ms; null with too few. */
  medianMs: number | null;
  /** Median of duration / estimate over those with an estimate; null with too few. */
  estimateRatio: number | null;
}

export type ServiceTimes = Map<string, SkillServiceTime>;

/** The recent service times of the given skills, in one query. */
export async function loadServiceTimes(tx: Tx, at: Date, skills: string[]): Promise<ServiceTimes> {
  const out: ServiceTimes = new Map();
  if (skills.length === 0) return out;
  const since = new Date(at.getTime() - SAMPLE_WINDOW_MS);
  const rows = await tx.$queryRaw<
    { skill: string; n: number; median_ms: number | null; n_est: number; ratio: number | null }[]
  >`
    SELECT skill, count(*)::int AS n,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::float8 AS median_ms,
           (count(*) FILTER (WHERE est > 0))::int AS n_est,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY ms / (est * ${HOUR_MS}))
              FILTER (WHERE est > 0))::float8 AS ratio
    FROM (
      SELECT skill_target AS skill, estimated_duration_hours AS est,
             extract(epoch FROM completed_at - started_at) * 1000 AS ms,
             row_number() OVER (PARTITION BY skill_target ORDER BY completed_at DESC) AS recent
      FROM tasks
      WHERE state = 'COMPLETED' AND skill_target = ANY(${skills}::text[])
        AND completed_at > ${since} AND completed_at <= ${at} AND started_at IS NOT NULL
    ) s
    WHERE recent <= ${SAMPLE_SIZE}
    GROUP BY skill`;
  for (const r of rows) {
    out.set(r.skill, {
      medianMs: r.n >= MIN_SAMPLES ? r.median_ms : null,
      estimateRatio: r.n_est >= MIN_SAMPLES ? r.ratio : null,
    });
  }
  return out;
}

/** The service time the forecast uses for one task. */
export function serviceMsFor(
  task: { skillTarget: string; estimatedDurationHours: number | null },
  times: ServiceTimes,
): number {
  const skill = times.get(task.skillTarget);
  const estimate = task.estimatedDurationHours;
  if (estimate !== null && estimate > 0) return Math.round(estimate * HOUR_MS * (skill?.estimateRatio ?? 1));
  return Math.round(skill?.medianMs ?? DEFAULT_SERVICE_MS);
}
