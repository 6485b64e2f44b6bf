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
  /** false while a blocker is unfinished: it cannot take a slot before `readyAt`. */
  eligible: boolean;
  /**
   * For a task that is not eligible: when its last unfinished blocker is forecast to finish
   * (queue-forecast.ts). Absent or null: some blocker has no forecast (on hold, blocked,
   * failed…), so neither has this task.
   */
  readyAt?: Date | null;
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
 * cannot start (a blocker without a forecast, a queue with no slot at all) get null.
 *
 * As the dispatcher does: each time a slot frees, it goes to the first task in waiting order
 * that can start by then (its planned date come, its blockers forecast done); when none can, to
 * the one that can start soonest. A chain's later task thus starts after its blocker's forecast
 * finish, and work behind it is not held up meanwhile.
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
  const pending: { item: WaitingItem; ready: number }[] = [];
  for (const item of input.waiting) {
    const blockersDone = item.eligible ? now : item.readyAt?.getTime();
    if (blockersDone === undefined || (input.capacity !== null && slotFreeAt.length === 0)) {
      out.set(item.id, null);
      continue;
    }
    pending.push({ item, ready: Math.max(now, blockersDone, item.notBefore?.getTime() ?? now) });
  }
  const place = (item: WaitingItem, start: number) =>
    out.set(item.id, { start: new Date(start), finish: new Date(start + item.serviceMs) });
  if (input.capacity === null) {
    for (const { item, ready } of pending) place(item, ready);
    return out;
  }
  const taken = new Array<boolean>(pending.length).fill(false);
  let head = 0; // pending[0..head) are all taken: the usual case takes the head, in O(1)
  for (let left = pending.length; left > 0; left -= 1) {
    // Earliest free slot (the lists are a queue's length: a linear scan is enough).
    let best = 0;
    for (let i = 1; i < slotFreeAt.length; i += 1) if (slotFreeAt[i]! < slotFreeAt[best]!) best = i;
    const free = slotFreeAt[best]!;
    while (taken[head]) head += 1;
    let pick = -1;
    for (let i = head; i < pending.length && pick < 0; i += 1)
      if (!taken[i] && pending[i]!.ready <= free) pick = i;
    if (pick < 0) {
      pick = head;
      for (let i = head + 1; i < pending.length; i += 1)
        if (!taken[i] && pending[i]!.ready < pending[pick]!.ready) pick = i;
    }
    taken[pick] = true;
    const { item, ready } = pending[pick]!;
    const start = Math.max(free, ready);
    place(item, start);
    slotFreeAt[best] = start + item.serviceMs;
  }
  return out;
}
