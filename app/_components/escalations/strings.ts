// The inbox's SLA / escalation strings (issue 11), in one object so they move into the i18n
// catalogue as they are: keys are stable, values are the English text, {x} are placeholders.

export const SLA_STRINGS = {
  client: "Client",
  clientUnknown: "no client on the task",
  blocker: "Blocked",
  blockerSince: "{reason} — since {since}",
  level: "Level",
  levelOf: "{number} of {of}",
  levelNext: "then {target} at {at} if nobody acknowledges",
  forecast: "Forecast",
  forecastNone: "no forecast: nothing moves the task forward now",
  forecastFinish: "finish {finish} (start {start})",
  forecastBreach: "breach forecast: finishes after the SLA deadline",
  slaClock: "SLA clock",
  slaPaused: "paused ({by}) — {remaining} min left",
  slaRunning: "running — {remaining} min left",
  slaOverdue: "breached {overdue} min ago",
  history: "Recent history",
  historyEmpty: "nothing recorded yet",
  atTheTime: "At the time it was raised",
  resolvedAutomatically: "resolved by itself: its cause went away",
  removeDependency: "Remove this dependency ({blocker})",
  removedDependency: "Dependency removed: the escalation resolves itself.",
  select: "Select",
  selected: "{count} selected",
  bulkAcknowledge: "Acknowledge",
  bulkAssignMe: "Assign to me",
  bulkResolve: "Resolve…",
  bulkResolveNote: "Note for every selected escalation",
  bulkDone: "{ok} done, {failed} refused",
  storm: "{count} × {reason} in {queue}",
  selectGroup: "Select all {count}",
  notifyOn: "Notify me",
  notifyOff: "Notifications on",
  notifyTitle: "New {urgency} escalation",
  breachForecastIn: "breach forecast in {minutes} min",
} as const;

/** Fills {placeholders}. */
export function t(key: keyof typeof SLA_STRINGS, values: Record<string, string | number> = {}): string {
  return SLA_STRINGS[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}
