import { Prisma } from "../db/generated/client";
import type { EngineContext } from "../engine/context";

// Thirty days of finished work for the demo, so every chart, report and KPI has substance on
// first open. Written as a few set-based statements (one INSERT … SELECT per table over
// generate_series), not task by task through the engine: a month of history loads in well under
// a second. The tasks are finished (completed — a few after one failed attempt —, a few cancelled) and have their whole
// state history, which is what the metrics and reports read; their ids come from the same
// per-year sequences as every other task.

export interface HistoryOptions {
  days?: number;
  /** Tasks started on a weekday (weekends get a third); default 36. */
  perWeekday?: number;
  /** Deterministic by default, so two demo databases show the same month. */
  seed?: number;
}

export const HISTORY_ACTOR = "demo-history";

const TITLES = [
  "Maquettes page produit",
  "Intégration du tunnel de commande",
  "Audit SEO technique",
  "Correctif paiement 3-D Secure",
  "Migration vers PHP 8.3",
  "Campagne newsletter de printemps",
  "Optimisation des images du catalogue",
  "Mise à jour des CGV",
  "Recette de la version mobile",
  "Export comptable mensuel",
  "Refonte de la page d'accueil",
  "Analyse des performances Core Web Vitals",
  "Connecteur ERP : synchronisation des stocks",
  "Rapport d'activité client",
  "Correction des traductions anglaises",
  "Tests de charge avant soldes",
];
const SKILLS = ["frontend", "backend", "design", "seo", "devops", "content", "project-management", "qa"];
const CLIENTS = [
  "Boutique Martin",
  "Maison Lefèvre",
  "Atelier Dubois",
  "Librairie Moreau",
  "Cave Girard",
  "Fromagerie Roux",
  "Studio Fournier",
  "Garage Lambert",
];
/** Queues with their weight in the mix and their SLA in minutes (lib/queues.ts). */
const QUEUES: readonly [name: string, weight: number, slaMinutes: number | null][] = [
  ["critical", 3, 60],
  ["urgent", 9, 120],
  ["high_priority", 22, 480],
  ["normal", 40, 1440],
  ["low_priority", 18, 4320],
  ["backlog", 8, null],
];

const sqlArray = (values: readonly string[]) => Prisma.sql`ARRAY[${Prisma.join(values)}]::text[]`;

/**
 * Inserts the history ending at `now` (nothing when the demo already has it). Returns the number
 * of tasks written.
 */
export async function seedDemoHistory(
  ctx: EngineContext,
  now: Date,
  options: HistoryOptions = {},
): Promise<number> {
  const days = options.days ?? 30;
  const perWeekday = options.perWeekday ?? 36;
  const seed = options.seed ?? 0.42;
  const queueNames = QUEUES.map(([name]) => name);
  let running = 0;
  const cumulative = QUEUES.map(([, weight]) => {
    running += weight;
    return running;
  });
  const total = cumulative.at(-1) ?? 1;
  const slas = QUEUES.map(([, , sla]) => (sla === null ? "NULL" : String(sla)));

  return ctx.prisma.$transaction(async (tx) => {
    const already = await tx.task.count({ where: { updatedBy: HISTORY_ACTOR } });
    if (already > 0) return 0;
    await tx.$executeRaw`SELECT setseed(${seed}::float8)`;
    // One row per task to write: its day, its hour, its queue and its fate, all drawn here.
    await tx.$executeRaw`
      CREATE TEMP TABLE demo_history ON COMMIT DROP AS
      WITH day AS (
        SELECT d, (${now}::timestamptz - make_interval(days => d))::date AS on_day
        FROM generate_series(1, ${days}::int) AS d
      ),
      slot AS (
        SELECT day.on_day, n
        FROM day, generate_series(1, ${perWeekday}::int) AS n
        WHERE EXTRACT(ISODOW FROM day.on_day) < 6 OR n <= ${Math.ceil(perWeekday / 3)}::int
      ),
      drawn AS (
        SELECT on_day, random() AS r_queue, random() AS r_fate, random() AS r_wait, random() AS r_run,
               random() AS r_hour, random() AS r_pick
        FROM slot
      )
      SELECT row_number() OVER (ORDER BY on_day, r_hour) AS seq,
             (on_day + make_interval(hours => 8, mins => floor(r_hour * 600)::int))::timestamptz AS created_at,
             (SELECT i FROM generate_series(1, ${QUEUES.length}::int) AS i
               WHERE r_queue * ${total}::float8 < (${sqlArray(cumulative.map(String))})[i]::float8 ORDER BY i LIMIT 1) AS q,
             -- Finished work only: nothing of the past waits on anyone. A few failed once and
             -- completed on their retry (the error and retry rates have substance), a few were cancelled.
             CASE WHEN r_fate < 0.04 THEN 'CANCELLED' WHEN r_fate < 0.10 THEN 'RETRIED' ELSE 'COMPLETED' END AS fate,
             r_wait, r_run, r_pick
      FROM drawn`;
    await tx.$executeRaw`
      ALTER TABLE demo_history ADD COLUMN id text, ADD COLUMN queue_name text, ADD COLUMN sla_minutes int,
        ADD COLUMN started_at timestamptz, ADD COLUMN finished_at timestamptz`;
    await tx.$executeRaw`
      UPDATE demo_history SET
        queue_name = (${sqlArray(queueNames)})[q],
        sla_minutes = (ARRAY[${Prisma.raw(slas.join(", "))}]::int[])[q]`;
    // Waits mostly within the SLA (about one in ten over it), runs of 20 min to 6 h.
    await tx.$executeRaw`
      UPDATE demo_history SET
        started_at = created_at + make_interval(secs => (COALESCE(sla_minutes, 2880) * 60) *
          CASE WHEN r_wait < 0.9 THEN r_wait * 0.8 ELSE 0.9 + (r_wait - 0.9) * 6 END),
        finished_at = NULL`;
    await tx.$executeRaw`
      UPDATE demo_history SET finished_at = started_at + make_interval(mins => 20 + floor(r_run * 340)::int)`;
    await tx.$executeRaw`DELETE FROM demo_history WHERE finished_at > ${now}::timestamptz`;
    // Ids: numbers taken from the same per-year sequence allocateTaskId uses (orch_next_task_seq),
    // all of a year's in one statement, then given to that year's rows in order.
    const years = await tx.$queryRaw<{ year: number; count: bigint }[]>`
      SELECT EXTRACT(YEAR FROM created_at AT TIME ZONE 'UTC')::int AS year, count(*) AS count
      FROM demo_history GROUP BY 1 ORDER BY 1`;
    for (const { year, count } of years) {
      await tx.$executeRaw`DROP TABLE IF EXISTS demo_ids`;
      await tx.$executeRaw`
        CREATE TEMP TABLE demo_ids ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY n) AS k, orch_next_task_seq(${year}::int) AS seq
        FROM generate_series(1, ${Number(count)}::int) AS n`;
      await tx.$executeRaw`
        UPDATE demo_history h SET id = 'TASK-' || ${year}::int || '-' || lpad(d.seq::text, 6, '0')
        FROM (SELECT seq, row_number() OVER (ORDER BY seq) AS k FROM demo_history
              WHERE EXTRACT(YEAR FROM created_at AT TIME ZONE 'UTC')::int = ${year}::int) x
        JOIN demo_ids d ON d.k = x.k
        WHERE h.seq = x.seq`;
    }
    const written = await tx.$executeRaw`
      INSERT INTO tasks (id, created_at, title, description, type, skill_target, entry_point, state, previous_state,
        state_changed_at, queue_name, queue_entered_at, sla_deadline, priority_score, started_at,
        estimated_duration_hours, progress_percent, current_step, completed_at, client_name, project_type,
        last_error, retry_count, version, updated_at, updated_by, deliverables, notes)
      SELECT h.id, h.created_at,
        (${sqlArray(TITLES)})[1 + floor(h.r_pick * ${TITLES.length}::int)::int],
        '', 'generic',
        (${sqlArray(SKILLS)})[1 + floor(h.r_run * ${SKILLS.length}::int)::int], '',
        (CASE h.fate WHEN 'CANCELLED' THEN 'CANCELLED' ELSE 'COMPLETED' END)::"TaskState",
        'IN_PROGRESS'::"TaskState", h.finished_at, h.queue_name, h.created_at,
        CASE WHEN h.sla_minutes IS NULL THEN NULL ELSE h.created_at + make_interval(mins => h.sla_minutes) END,
        CASE h.queue_name WHEN 'critical' THEN 95 WHEN 'urgent' THEN 85 WHEN 'high_priority' THEN 70
          WHEN 'normal' THEN 50 WHEN 'low_priority' THEN 30 ELSE 10 END,
        h.started_at, round((EXTRACT(EPOCH FROM h.finished_at - h.started_at) / 3600)::numeric, 1)::float8,
        CASE WHEN h.fate = 'CANCELLED' THEN floor(h.r_wait * 80)::int ELSE 100 END, NULL,
        CASE WHEN h.fate <> 'CANCELLED' THEN h.finished_at END,
        (${sqlArray(CLIENTS)})[1 + floor(h.r_wait * ${CLIENTS.length}::int)::int], 'site',
        CASE WHEN h.fate = 'RETRIED' THEN 'Upstream API timed out' END,
        CASE WHEN h.fate = 'RETRIED' THEN 1 ELSE 0 END,
        CASE WHEN h.fate = 'RETRIED' THEN 6 ELSE 4 END, h.finished_at, ${HISTORY_ACTOR}::text,
        CASE WHEN h.fate <> 'CANCELLED' THEN '[{"name": "livrable"}]'::jsonb ELSE '[]'::jsonb END,
        '[]'::jsonb
      FROM demo_history h`;
    await tx.$executeRaw`
      INSERT INTO task_state_history (task_id, state, from_state, at, actor, reason, version)
      SELECT h.id, s.state::"TaskState", s.from_state::"TaskState", s.at, s.actor, s.reason, s.version
      FROM demo_history h CROSS JOIN LATERAL (VALUES
        ('CREATED', NULL, h.created_at, ${HISTORY_ACTOR}::text, NULL::text, 1, true),
        ('QUEUED', 'CREATED', h.created_at + interval '1 second', ${HISTORY_ACTOR}::text, NULL, 2, true),
        ('IN_PROGRESS', 'QUEUED', h.started_at, 'simulator@demo', NULL, 3, true),
        -- a retried task: failed half way, retried five minutes later
        ('FAILED', 'IN_PROGRESS', h.started_at + (h.finished_at - h.started_at) / 2, 'simulator@demo',
          'Upstream API timed out', 4, h.fate = 'RETRIED'),
        ('IN_PROGRESS', 'FAILED', h.started_at + (h.finished_at - h.started_at) / 2 + interval '5 minutes',
          'error-handler', NULL, 5, h.fate = 'RETRIED'),
        (CASE h.fate WHEN 'CANCELLED' THEN 'CANCELLED' ELSE 'COMPLETED' END, 'IN_PROGRESS', h.finished_at,
          'simulator@demo', CASE h.fate WHEN 'CANCELLED' THEN 'Annulée par le client' END,
          CASE h.fate WHEN 'RETRIED' THEN 6 ELSE 4 END, true)
      ) AS s(state, from_state, at, actor, reason, version, keep)
      WHERE s.keep`;
    return written;
  });
}
