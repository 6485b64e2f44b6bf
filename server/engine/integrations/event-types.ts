// What an events row is called for webhook receivers, and which subscriptions want it.
//
// A task change that moves the task to another state is named after the state it reached
// ("task.completed", "task.blocked", "task.in_progress"…), the first move of a new task
// (CREATED → QUEUED) is "task.created", and every other change keeps its action's name
// ("task.edited", "task.reordered", "escalation.raised"…). The original action travels in
// the payload (data.change.action).

export interface EventRow {
  type: string;
  payload: unknown;
}

function stateChange(payload: unknown): { from: string; to: string } | null {
  if (typeof payload !== "object" || payload === null) return null;
  const { from, to } = payload as { from?: unknown; to?: unknown };
  return typeof from === "string" && typeof to === "string" ? { from, to } : null;
}

/** escalation.opened (execution engine) and escalation.raised (escalation rules) are one thing to receivers. */
const ALIASES: Record<string, string> = { "escalation.opened": "escalation.raised" };

export function webhookTypeOf(event: EventRow): string {
  const change = stateChange(event.payload);
  if (event.type.startsWith("task.") && change) {
    if (change.from === "CREATED" && change.to === "QUEUED") return "task.created";
    return `task.${change.to.toLowerCase()}`;
  }
  return ALIASES[event.type] ?? event.type;
}

/** Types only sent to subscriptions that name them: too chatty for wildcards. */
const EXPLICIT_ONLY = new Set(["task.heartbeat"]);

export function matchesPattern(pattern: string, type: string): boolean {
  if (pattern === type) return true;
  if (EXPLICIT_ONLY.has(type)) return false;
  if (pattern === "*") return true;
  return pattern.endsWith(".*") && type.startsWith(pattern.slice(0, -1));
}

export function matchesAny(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => matchesPattern(p, type));
}

export const isEscalationRaised = (type: string): boolean => type === "escalation.raised";
