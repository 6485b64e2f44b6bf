// The forecast's estimator (docs/forecast.md): a queue-length-based delay estimator in the sense
// of Ibrahim & Whitt ("QL": the delay of the n-th waiting customer in an s-server queue is about
// n / (s·μ)), generalised to per-task service times by list scheduling. Each slot of the queue
// becomes free when the task holding it is predicted to finish (now when the slot is free); the
// waiting tasks, in the queue's own order, take the earliest free slot one after the other. With
// equal service times this is exactly the QL estimator; with an estimate per task it follows the
// work actually ahead. Pure: the caller loads the queue and the service times.

/** A task holding a slot (SCHEDULED or IN_PROGRESS). */
export interface RunningItem {
  id: string;
  /** When it started running; null while SCHEDULED (it starts as soon as its executor takes it). */
  startedAt: Date | null;
  serviceMs: number;
}

/** A QUEUED task, in the queue's waiting order. */
export interface WaitingItem {
  id: string;
  /** false while a blocker is unfinished: it cannot take a slot, so no start can be predicted. */
  eligible: boolean;
  /** Planned date (scheduled queue): it does not start before. */
  notBefore: Date | null;
  serviceMs: number;
}

export interface QueueForecastInput {
  now: Date;
  /** null = unlimited slots. */
  capacity: number | null;
  running: RunningItem[];
  waiting: WaitingItem[];
}

export interface TaskForecast {
  start: Date;
  finish: Date;
}

/**
 * A running task past its predicted service time is expected to need this share of its service
 * time again (it is late, not finished): keeps its finish ahead of now instead of in the past.
 */
export const OVERRUN_RESIDUAL_SHARE = 0.1;

/** When a running task should finish: started + service, or a residual ahead of now if overdue. */
export function runningFinish(item: RunningItem, now: Date): Date {
  const t = now.getTime();
  if (!item.startedAt) return new Date(t + item.serviceMs);
  const expected = item.startedAt.getTime() + item.serviceMs;
  return new Date(Math.max(expected, t + Math.ceil(item.serviceMs * OVERRUN_RESIDUAL_SHARE)));
}

/**
 * Predicted start and finish of every running and waiting task of one queue. Waiting tasks that
 * cannot start (unfinished blockers, a queue with no slot at all) get null.
 */
export function forecastQueue(input: QueueForecastInput): Map<string, TaskForecast | null> {
  const now = input.now.getTime();
  const out = new Map<string, TaskForecast | null>();
  const slotFreeAt: number[] = [];
  for (const item of input.running) {
    const finish = runningFinish(item, input.now);
    out.set(item.id, { start: item.startedAt ?? input.now, finish });
    slotFreeAt.push(finish.getTime());
  }
  if (input.capacity !== null) {
    for (let free = input.capacity - input.running.length; free > 0; free -= 1) slotFreeAt.push(now);
  }
  for (const item of input.waiting) {
    const notBefore = Math.max(now, item.notBefore?.getTime() ?? now);
    if (!item.eligible || (input.capacity !== null && slotFreeAt.length === 0)) {
      out.set(item.id, null);
      continue;
    }
    let start = notBefore;
    if (input.capacity !== null) {
      // Earliest free slot (the lists are a queue's length: a linear scan is enough).
      let best = 0;
      for (let i = 1; i < slotFreeAt.length; i += 1) if (slotFreeAt[i]! < slotFreeAt[best]!) best = i;
      start = Math.max(notBefore, slotFreeAt[best]!);
      slotFreeAt[best] = start + item.serviceMs;
    }
    out.set(item.id, { start: new Date(start), finish: new Date(start + item.serviceMs) });
  }
  return out;
}
