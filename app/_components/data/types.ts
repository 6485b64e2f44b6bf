import type { QueueName } from "@/lib/queues";

// Shapes of API answers the UI reads that have no type in lib/ (lib/api/routes/*.ts declares them as zod).

/** GET /api/v1/queues: one queue's gauges. */
export interface QueueStatsView {
  name: QueueName;
  description: string;
  sla_minutes: number | null;
  capacity: number | null;
  waiting: number;
  /** Dispatched, slot reserved, not started: with in_progress, the slots in use. */
  scheduled: number;
  in_progress: number;
  on_hold: number;
  blocked: number;
  oldest_waiting_since: string | null;
  oldest_wait_minutes: number | null;
  at_risk: number;
  breached: number;
  /** Waiting and running tasks forecast to finish after their SLA deadline (docs/forecast.md). */
  forecast_breaches: { task_id: string; sla_deadline: string; forecast_finish: string }[];
}

export interface QueueStatsResponse {
  queues: QueueStatsView[];
  server_time: string;
}

/** GET /api/v1/queues/{name}/tasks: one waiting task, in dispatch order. */
export interface WaitingTaskView {
  id: string;
  title: string;
  position: number;
  priority_score: number;
  entered_at: string;
  sla_deadline: string | null;
  blockers_done: boolean;
  version: number;
}

export interface TemplateView {
  id: string;
  name: string;
  description: string;
  tasks?: { key: string; definition: { title: string; skill_target: string }; blocked_by?: string[] }[];
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: "admin" | "operator" | "account_manager" | "viewer";
  active: boolean;
  created_at: string;
  last_login_at: string | null;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface EscalationCount {
  open: number;
  unacknowledged: number;
  overdue: number;
  by_urgency: Record<string, number>;
}
