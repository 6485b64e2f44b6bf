// Every TanStack Query key of the UI, in one place, so the live layer knows what to refresh.
// Keys are prefixes of one another on purpose: invalidating ["task", id] also refreshes that
// task's audit trail, invalidating ["escalations"] refreshes the list and the badge count.

export type Params = Record<string, string | number | undefined>;

export const queryKeys = {
  board: ["board"] as const,
  queues: ["queues"] as const,
  queueTasksAll: ["queue-tasks"] as const,
  queueTasks: (queue: string) => ["queue-tasks", queue] as const,
  task: (id: string) => ["task", id] as const,
  taskAudit: (id: string) => ["task", id, "audit"] as const,
  taskSubtasks: (id: string) => ["task", id, "subtasks"] as const,
  tasksAll: ["tasks"] as const,
  tasks: (params: Params) => ["tasks", params] as const,
  graphAll: ["graph"] as const,
  graph: (mode: "task" | "intake", id: string) => ["graph", mode, id] as const,
  escalationsAll: ["escalations"] as const,
  escalations: (params: Params) => ["escalations", "list", params] as const,
  escalationCount: ["escalations", "count"] as const,
  metricsAll: ["metrics"] as const,
  metrics: (params: Params) => ["metrics", params] as const,
  auditAll: ["audit"] as const,
  audit: (params: Params) => ["audit", params] as const,
  templates: ["templates"] as const,
  users: ["users"] as const,
  apiKeys: ["api-keys"] as const,
  webhooks: ["webhooks"] as const,
  webhookDeliveries: (id: string) => ["webhooks", id, "deliveries"] as const,
  webhookDelivery: (id: string, deliveryId: string) => ["webhooks", id, "deliveries", deliveryId] as const,
  me: ["me"] as const,
};

/**
 * Keys that any committed change may affect; the live layer refreshes them (throttled), and
 * the waiting lists of the queues the change names (live/live-keys.ts).
 */
export const LIVE_REFRESHED_KEYS = [
  queryKeys.queues,
  queryKeys.tasksAll,
  queryKeys.graphAll,
  queryKeys.escalationsAll,
  queryKeys.metricsAll,
  queryKeys.auditAll,
] as const;
