// Fast SQL loader for the scale bench (scripts/bench-scale.ts) and the board-at-scale e2e:
// tasks, their history, audit and event rows, escalations, made by generate_series in a few
// statements (never through the API), so a million tasks load in minutes.
//
// The shape: an agency making ~2,700 tasks a day. `ACTIVE` live tasks of the last hours fill
// every queue's slots (so a dispatcher pass has nothing to do) and wait in their queues; the
// finished ones go back in time, archived after 30 days like the archive sweep does. The last
// 90 days (the metrics' and reports' window) are always full: a history smaller than 90 days at
// that rate is spread over them at a lower rate (historyPlan), so the bench's small size is an
// agency with fewer tasks a day, not a younger one, and the growth it measures is history alone.
// The metrics rollups' history trigger is off during a load (one resync per history row would
// take hours); each load then rebuilds the rollups from the raw rows in one statement.
import type pg from "pg";

export const TASKS_PER_DAY = 2_740;
const DAY_S = 86_400;

/** Slots per queue (lib/queues.ts): the active tasks holding them, so no queue has a free slot. */
const SLOTS: Record<string, number> = {
  critical: 3,
  urgent: 5,
  high_priority: 20,
  normal: 50,
  low_priority: 100,
  scheduled: 50,
};
/** Queues live work waits in, and their share of it: most in `normal` (> 5,000 of 10,000). */
const WAITING_MIX = [
  "normal",
  "normal",
  "normal",
  "normal",
  "normal",
  "normal",
  "low_priority",
  "high_priority",
  "urgent",
  "critical",
];
const FINISHED_MIX = [
  "normal",
  "normal",
  "low_priority",
  "high_priority",
  "urgent",
  "critical",
  "backlog",
  "scheduled",
];
const WORDS = [
  "Refonte",
  "Landing",
  "API",
  "Migration",
  "Audit",
  "Campagne",
  "Checkout",
  "Newsletter",
  "Dashboard",
  "Onboarding",
];
/** One task in RARE_EVERY has this word in its title: what `/tasks?q=` looks for. */
export const RARE_WORD = "zanzibar";
const RARE_EVERY = 20_000;

const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(",")}]`;

/** History rows (state, from) of a completed task, and of a live task up to its state. */
const PATH = ["CREATED", "QUEUED", "SCHEDULED", "IN_PROGRESS", "COMPLETED"];

/**
 * Inserts `count` tasks whose sequence numbers start at `firstSeq` of `year`, each one a task
 * made `ageOffsetDays + k / TASKS_PER_DAY` days before `now` (k = 0 the newest). Finished unless
 * `active`. History, audit and events: one row per state passed (5 for a completed task).
 */
async function insertTasks(
  c: pg.Client,
  opts: {
    year: number;
    firstSeq: number;
    count: number;
    now: Date;
    ageOffsetS: number;
    stepS: number;
    active: boolean;
  },
): Promise<void> {
  const { year, firstSeq, count, now, ageOffsetS, stepS, active } = opts;
  // Active tasks: the slots first (SCHEDULED / IN_PROGRESS up to capacity), then waiting ones.
  const slotRows = Object.entries(SLOTS).flatMap(([q, n]) => Array.from({ length: n }, () => q));
  const stateSql = active
    ? `CASE WHEN g.k <= ${slotRows.length} THEN (CASE WHEN g.k % 2 = 0 THEN 'SCHEDULED' ELSE 'IN_PROGRESS' END)
            WHEN g.k % 40 = 0 THEN 'ON_HOLD' WHEN g.k % 50 = 1 THEN 'BLOCKED' ELSE 'QUEUED' END`
    : `CASE WHEN g.k % 20 = 0 THEN 'CANCELLED' ELSE 'COMPLETED' END`;
  const queueSql = active
    ? `CASE WHEN g.k <= ${slotRows.length} THEN (${sqlArray(slotRows)})[g.k]
            WHEN g.k % 40 = 0 THEN 'backlog'
            ELSE (${sqlArray(WAITING_MIX)})[1 + g.k % ${WAITING_MIX.length}] END`
    : `(${sqlArray(FINISHED_MIX)})[1 + g.k % ${FINISHED_MIX.length}]`;
  const slaSql = `CASE s.queue_name WHEN 'critical' THEN 60 WHEN 'urgent' THEN 120 WHEN 'high_priority' THEN 480
                   WHEN 'normal' THEN 1440 WHEN 'low_priority' THEN 4320 END`;
  await c.query(
    `CREATE TEMP TABLE gen ON COMMIT DROP AS
     SELECT g.k,
            format('TASK-%s-%s', $1::int, lpad(($2::int + $3::int - g.k)::text, 6, '0')) AS id,
            $4::timestamptz - make_interval(secs => $5::float8 + g.k * $6::float8) AS created_at,
            ${stateSql}::"TaskState" AS state,
            ${queueSql} AS queue_name
     FROM generate_series(1, $3::int) AS g(k)`,
    [year, firstSeq, count, now, ageOffsetS, stepS],
  );
  await c.query(
    `
    INSERT INTO tasks (id, intake_id, created_at, title, description, type, skill_target, entry_point,
                       state, previous_state, state_changed_at, queue_name, queue_entered_at, sla_deadline,
                       scheduled_for, priority_score, started_at, estimated_duration_hours, progress_percent,
                       assigned_to, completed_at, blocker_reason, blocked_since, client_name, project_type,
                       version, updated_at, updated_by, archived_at)
    SELECT s.id, CASE WHEN s.k % 2 = 0 THEN 'intake-' || s.id END, s.created_at,
           (${sqlArray(WORDS)})[1 + s.k % ${WORDS.length}] || ' ' ||
             CASE WHEN s.k % ${RARE_EVERY} = 7 THEN '${RARE_WORD} ' ELSE '' END || 'pour client ' || (s.k % 997),
           'Livrable ' || s.k, 'development', (ARRAY['backend','frontend','design','content'])[1 + s.k % 4], 'api',
           s.state, CASE WHEN s.state <> 'CREATED' THEN 'QUEUED'::"TaskState" END,
           s.created_at + CASE WHEN s.state IN ('COMPLETED','CANCELLED') THEN interval '2 hours' ELSE interval '5 minutes' END,
           s.queue_name, s.created_at + interval '1 second',
           s.created_at + interval '1 second' + make_interval(mins => ${slaSql}),
           CASE WHEN s.queue_name = 'scheduled' AND s.state = 'QUEUED' THEN s.created_at + interval '30 days' END,
           20 + (s.k * 37) % 80,
           CASE WHEN s.state IN ('COMPLETED','IN_PROGRESS','SCHEDULED') THEN s.created_at + interval '10 minutes' END,
           2, CASE WHEN s.state = 'COMPLETED' THEN 100 ELSE 0 END,
           CASE WHEN s.k % 3 = 0 THEN 'team-' || (s.k % 5) END,
           CASE WHEN s.state = 'COMPLETED' THEN s.created_at + interval '2 hours' END,
           CASE WHEN s.state = 'BLOCKED' THEN 'waiting for client assets' END,
           CASE WHEN s.state = 'BLOCKED' THEN s.created_at + interval '5 minutes' END,
           'Client ' || (s.k % 997), (ARRAY['ecommerce','site_vitrine','app_mobile','saas'])[1 + s.k % 4],
           5, s.created_at + interval '2 hours', 'bench',
           CASE WHEN s.state IN ('COMPLETED','CANCELLED') AND s.created_at < $1::timestamptz - interval '30 days'
                THEN s.created_at + interval '31 days' END
    FROM gen s`.replace(/\$1::timestamptz/g, `'${now.toISOString()}'::timestamptz`),
  );
  // One history / audit / event row per state on the task's path (rollups rebuilt after the load).
  await c.query("ALTER TABLE task_state_history DISABLE TRIGGER task_rollups_history");
  const pathSql = `SELECT s.id, s.created_at, s.state, p.st::"TaskState" AS st, p.n
    FROM gen s CROSS JOIN LATERAL unnest(${sqlArray(PATH)}) WITH ORDINALITY AS p(st, n)
    WHERE p.n <= CASE s.state WHEN 'COMPLETED' THEN 5 WHEN 'CANCELLED' THEN 3 WHEN 'IN_PROGRESS' THEN 4
                              WHEN 'SCHEDULED' THEN 3 ELSE 2 END`;
  const stateAt = `CASE WHEN x.state = 'CANCELLED' AND x.n = 3 THEN 'CANCELLED'::"TaskState" ELSE x.st END`;
  const atSql =
    "x.created_at + make_interval(mins => ((x.n - 1) * 10 + CASE WHEN x.n = 5 THEN 90 ELSE 0 END)::int)";
  await c.query(`INSERT INTO task_state_history (task_id, state, from_state, at, actor, version)
    SELECT x.id, ${stateAt}, CASE WHEN x.n > 1 THEN (${sqlArray(PATH)})[x.n - 1]::"TaskState" END, ${atSql}, 'bench', x.n::int
    FROM (${pathSql}) x`);
  await c.query("ALTER TABLE task_state_history ENABLE TRIGGER task_rollups_history");
  await c.query(`INSERT INTO audit_log (at, actor, action, task_id, from_state, to_state, details)
    SELECT ${atSql}, 'bench', CASE WHEN x.n = 1 THEN 'task.created' ELSE 'task.transition' END, x.id,
           CASE WHEN x.n > 1 THEN (${sqlArray(PATH)})[x.n - 1]::"TaskState" END, ${stateAt}, '{}'
    FROM (${pathSql}) x`);
  // events_collect gathers a transaction's event ids for its one NOTIFY (hot_path migration) by
  // appending to a setting: quadratic over a bulk load's hundreds of thousands of rows, and
  // nobody listens to a load. Off for this insert.
  await c.query("ALTER TABLE events DISABLE TRIGGER events_collect");
  await c.query(`INSERT INTO events (at, type, task_id, version, payload)
    SELECT ${atSql}, CASE WHEN x.n = 1 THEN 'task.created' ELSE 'task.transition' END, x.id, x.n::int,
           jsonb_build_object('queue', 'normal')
    FROM (${pathSql}) x`);
  await c.query("ALTER TABLE events ENABLE TRIGGER events_collect");
  // A resolved escalation on one finished task in 100 (history the sweeps must not wade through).
  if (active) {
    // The live tasks already at risk or late were escalated by earlier sweeps.
    await c.query(
      `INSERT INTO escalations (id, task_id, reason, urgency, context, suggested_action, escalated_to,
                                            deadline, status, open_key, created_at)
      SELECT 'ESC-' || t.id, t.id, 'sla_breached', 'critical',
             jsonb_build_object('sla_deadline', to_char(t.sla_deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
             'review', 'account_manager', t.sla_deadline, 'OPEN', t.id || ':sla_breached', t.sla_deadline
      FROM tasks t JOIN gen s ON s.id = t.id
      WHERE t.state NOT IN ('COMPLETED', 'CANCELLED') AND t.sla_deadline < $1::timestamptz + interval '1 hour'`,
      [now],
    );
  }
  if (!active) {
    await c.query(`INSERT INTO escalations (id, task_id, reason, urgency, context, suggested_action, escalated_to,
                                            deadline, status, created_at, resolved_at, resolution)
      SELECT 'ESC-' || s.id, s.id, 'sla_breach_imminent', 'high',
             jsonb_build_object('sla_deadline', to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
             'review', 'account_manager', s.created_at + interval '1 hour', 'RESOLVED',
             s.created_at + interval '30 minutes', s.created_at + interval '1 hour', 'done'
      FROM gen s WHERE s.k % 100 = 0`);
  }
  await c.query(
    `INSERT INTO task_id_counters (year, last_seq) VALUES ($1, $2)
     ON CONFLICT (year) DO UPDATE SET last_seq = GREATEST(task_id_counters.last_seq, EXCLUDED.last_seq)`,
    [year, firstSeq + count - 1],
  );
}

/** The metrics rollups from the raw rows (migration 20261202011350_metrics_rollups). */
async function rebuildRollups(c: pg.Client): Promise<void> {
  await inTx(c, async () => {
    await c.query("SET LOCAL work_mem = '256MB'");
    await c.query("SELECT task_rollups_rebuild()");
  });
}

async function inTx(c: pg.Client, fn: () => Promise<void>): Promise<void> {
  await c.query("BEGIN");
  try {
    await fn();
    await c.query("COMMIT");
  } catch (error) {
    await c.query("ROLLBACK");
    throw error;
  }
}

const SEQ_PER_YEAR = 900_000;
/** The metrics' and reports' window the bench reads: full at every size. */
export const WINDOW_DAYS = 90;
const WINDOW_TASKS = WINDOW_DAYS * TASKS_PER_DAY;
/** Older than every live task (10,000 × 2 s): where the finished history starts. */
const ACTIVE_SPAN_S = 6 * 3600;

/** A run of finished tasks, one every `stepS` seconds from `ageOffsetS` before now back. */
export interface HistorySegment {
  count: number;
  ageOffsetS: number;
  stepS: number;
}

/**
 * The finished tasks `already` .. `total` to add so that a history of `total` has its last
 * WINDOW_DAYS days full: up to 90 × TASKS_PER_DAY tasks spread evenly over them (fewer: a lower
 * daily rate), the rest older at TASKS_PER_DAY. Tasks added to a window that already holds some
 * are spread between them (half a step off), so the window stays even.
 */
export function historyPlan(already: number, total: number): HistorySegment[] {
  const plan: HistorySegment[] = [];
  const inWindow = Math.min(total, WINDOW_TASKS) - Math.min(already, WINDOW_TASKS);
  if (inWindow > 0) {
    const stepS = (WINDOW_DAYS * DAY_S) / inWindow;
    plan.push({ count: inWindow, ageOffsetS: ACTIVE_SPAN_S + (already > 0 ? stepS / 2 : 0), stepS });
  }
  const olderFrom = Math.max(already, WINDOW_TASKS);
  if (total > olderFrom) {
    plan.push({
      count: total - olderFrom,
      ageOffsetS: ACTIVE_SPAN_S + WINDOW_DAYS * DAY_S + ((olderFrom - WINDOW_TASKS) * DAY_S) / TASKS_PER_DAY,
      stepS: DAY_S / TASKS_PER_DAY,
    });
  }
  return plan;
}

/** What a history of `finished` tasks looks like (historyPlan), for the bench's output. */
export function describeHistory(finished: number): string {
  const window = Math.min(finished, WINDOW_TASKS);
  const older = finished - window;
  const perDay = (n: number, days: number) => Math.round(n / days).toLocaleString("en");
  return `${window.toLocaleString("en")} finished in the last ${WINDOW_DAYS} days (${perDay(window, WINDOW_DAYS)}/day)${
    older > 0
      ? `, ${older.toLocaleString("en")} older (${TASKS_PER_DAY.toLocaleString("en")}/day, ${Math.round(WINDOW_DAYS + older / TASKS_PER_DAY)} days in all)`
      : ""
  }`;
}
/** Live tasks were made one every 2 s: 10,000 over the last 5.5 hours. */
const ACTIVE_STEP_S = 2;

/**
 * Loads the active work: `active` live tasks made in the last hours (year `now`'s, sequence
 * numbers above every finished task's). Call once per database.
 */
export async function loadActiveWork(c: pg.Client, now: Date, active: number): Promise<void> {
  await c.query("SET synchronous_commit = off");
  await inTx(c, () =>
    insertTasks(c, {
      year: now.getUTCFullYear(),
      firstSeq: SEQ_PER_YEAR + 1,
      count: active,
      now,
      ageOffsetS: 0,
      stepS: ACTIVE_STEP_S,
      active: true,
    }),
  );
  await rebuildRollups(c);
  // Fresh statistics, as autovacuum would soon have: the planner sees the live rows.
  await c.query("ANALYZE tasks");
  await c.query("ANALYZE escalations");
}

/**
 * Adds finished tasks to a history of `already` up to `total` (historyPlan: the last 90 days
 * full at any size). Ids: year `now` − 1 − ⌊i / 900,000⌋, i counting the finished tasks loaded.
 */
export async function loadFinishedHistory(
  c: pg.Client,
  now: Date,
  already: number,
  total: number,
): Promise<void> {
  await c.query("SET synchronous_commit = off");
  let from = already;
  for (const segment of historyPlan(already, total)) {
    for (let done = 0; done < segment.count; ) {
      const yearIdx = Math.floor(from / SEQ_PER_YEAR);
      const inYear = from % SEQ_PER_YEAR;
      const count = Math.min(segment.count - done, SEQ_PER_YEAR - inYear, 200_000);
      // seq counts down with age inside the year: firstSeq + count - k for k = 1..count
      const firstSeq = SEQ_PER_YEAR - inYear - count + 1;
      await inTx(c, () =>
        insertTasks(c, {
          year: now.getUTCFullYear() - 1 - yearIdx,
          firstSeq,
          count,
          now,
          ageOffsetS: segment.ageOffsetS + done * segment.stepS,
          stepS: segment.stepS,
          active: false,
        }),
      );
      done += count;
      from += count;
    }
  }
  await rebuildRollups(c);
  // Vacuumed and analysed, as a year of autovacuum leaves them: measured right after a bulk
  // load, autovacuum would otherwise be vacuuming millions of new rows in the background
  // (inserts trigger it since PostgreSQL 13), and the large size's figures would be its noise.
  for (const table of [
    "tasks",
    "task_state_history",
    "task_rollups_hourly",
    "task_rollup_blocks",
    "audit_log",
    "events",
    "escalations",
  ]) {
    await c.query(`VACUUM ANALYZE ${table}`);
  }
}
