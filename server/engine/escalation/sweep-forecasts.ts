import type { Tx } from "../context";
import { recordFirstForecasts } from "../forecast/forecast-record";
import { type ForecastedTask, forecastQueues } from "../forecast/queue-forecast";
import { RECHECK_MS, type SweepChanges, type SweepState } from "./sweep-changes";

// The forecasts the sweep needs: those of the SLA-imminent candidates (the rule reads them) and
// those of tasks new since the last pass (their first forecast is kept: forecast-record.ts).
// A pass forecasts again only the queues that changed (sweep-changes.ts) and those of candidates
// whose earlier forecast can no longer be trusted; the others keep the forecast of the pass
// that last made one. Time alone only moves a forecast later, by about the time elapsed (every
// start is at the earliest now), so in a queue that did not change an earlier "misses" (or "no
// forecast") still stands, and an earlier "makes it" while its margin to the deadline is larger
// than the time since it was made. No verdict is trusted longer than RECHECK_MS: what changes a
// forecast without an event (a capacity edited, the skills' pace) is seen that late at most. A
// full pass forecasts every queue.

export interface Candidate {
  id: string;
  queueName: string;
  slaDeadline: Date;
}

/** The candidates' forecasts (absent: none, nothing moves the task forward); keeps first forecasts. */
export async function sweepForecasts(
  tx: Tx,
  at: Date,
  state: SweepState,
  changes: SweepChanges,
  candidates: Candidate[],
): Promise<Map<string, ForecastedTask>> {
  const queues = changes.full
    ? (await tx.queue.findMany({ select: { name: true } })).map((q) => q.name)
    : [
        ...new Set([
          ...changes.queues,
          ...candidates.filter((c) => !stillStands(state, at, c)).map((c) => c.queueName),
        ]),
      ];
  const fresh = await forecastQueues(tx, at, queues);
  // Blockers' queues come whole with their dependents': kept too.
  const byQueue = new Map<string, Map<string, ForecastedTask>>(queues.map((q) => [q, new Map()]));
  for (const f of fresh.values()) {
    const tasks = byQueue.get(f.queue) ?? new Map<string, ForecastedTask>();
    byQueue.set(f.queue, tasks.set(f.taskId, f));
  }
  // A task in its queue's previous forecast had its first one recorded by the pass that made
  // it: only the others are sent (a full pass forecasts 10,000 tasks, nearly all known).
  const known = (f: ForecastedTask) => state.forecasts.get(f.queue)?.tasks.has(f.taskId) === true;
  const firsts = [...fresh.values()].filter((f) => !known(f));
  for (const [queue, tasks] of byQueue) state.forecasts.set(queue, { at, tasks });
  await recordFirstForecasts(tx, at, firsts);
  const out = new Map<string, ForecastedTask>();
  for (const c of candidates) {
    const forecast = state.forecasts.get(c.queueName)?.tasks.get(c.id);
    if (forecast) out.set(c.id, forecast);
  }
  return out;
}

/**
 * The verdict of the queue's last forecast, made less than RECHECK_MS ago, still holds for this
 * candidate: none, "misses" this deadline, or "makes it" with more margin than the time since.
 */
function stillStands(state: SweepState, at: Date, c: Candidate): boolean {
  const cached = state.forecasts.get(c.queueName);
  if (!cached || at.getTime() - cached.at.getTime() >= RECHECK_MS) return false;
  const forecast = cached.tasks.get(c.id);
  if (!forecast) return true;
  if (forecast.slaDeadline?.getTime() !== c.slaDeadline.getTime()) return false;
  if (forecast.breach) return true;
  return forecast.finish.getTime() + (at.getTime() - cached.at.getTime()) <= c.slaDeadline.getTime();
}
