// An escalation's context is the live task (README.md, "Context"): the keys recorded when it was
// raised (the seed's {current_state, blocker, blocked_since}, the SLA's remaining minutes…) are
// read again from the task now; the record as raised is kept beside it as `context_at_raise`
// ("at the time"). Keys with no live counterpart (a cycle, a blocker's id) stay as raised.

export interface LiveTaskFacts {
  state: string;
  queue: string;
  slaDeadline: Date | null;
  blockerReason: string | null;
  blockedSince: Date | null;
  retryCount: number;
  lastError: string | null;
}

export function liveContext(
  raised: Record<string, unknown>,
  task: LiveTaskFacts,
  now: Date,
): Record<string, unknown> {
  const live: Record<string, unknown> = { ...raised };
  const has = (key: string) => Object.hasOwn(raised, key);
  if (has("current_state")) live.current_state = task.state;
  if (has("queue")) live.queue = task.queue;
  if (has("blocker") && has("blocked_since")) {
    live.blocker = task.blockerReason;
    live.blocked_since = task.blockedSince?.toISOString() ?? null;
  }
  if (has("retry_count")) live.retry_count = task.retryCount;
  if (has("last_error") && task.lastError) live.last_error = task.lastError;
  if (has("sla_deadline")) {
    live.sla_deadline = task.slaDeadline?.toISOString() ?? null;
    delete live.remaining_minutes;
    delete live.overdue_minutes;
    if (task.slaDeadline) {
      const left = task.slaDeadline.getTime() - now.getTime();
      if (left >= 0) live.remaining_minutes = Math.floor(left / 60_000);
      else live.overdue_minutes = Math.floor(-left / 60_000);
    }
  }
  return live;
}
