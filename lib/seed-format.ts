// The seed's standard task format (SPEC §8), field for field. The API reads and writes this.
import type { QueueName } from "./queues";
import type { TaskStateName } from "./states";

export interface SeedTask {
  id: string;
  intake_id: string | null;
  created_at: string;
  definition: {
    title: string;
    description: string;
    type: string;
    skill_target: string;
    entry_point: string;
  };
  state: {
    current: TaskStateName;
    previous: TaskStateName | null;
    changed_at: string;
    history: { state: TaskStateName; at: string }[];
  };
  queue: {
    name: QueueName;
    /** 0-based rank among the queue's waiting tasks; null when the task is not waiting. */
    position: number | null;
    entered_at: string;
    sla_deadline: string | null;
  };
  priority: { score: number; factors: string[] };
  execution: {
    started_at: string | null;
    estimated_duration_hours: number | null;
    progress_percent: number;
    current_step: string | null;
    assigned_to: string | null;
  };
  dependencies: {
    blocked_by: string[];
    blocks: string[];
    parent_task: string | null;
    subtasks: string[];
  };
  context: {
    client: { name: string | null; contact: string | null };
    project: { type: string | null; budget_range: string | null; deadline: string | null };
  };
  output: { deliverables: unknown[]; notes: unknown[]; next_actions: unknown[] };
  metadata: { version: number; last_updated: string; updated_by: string };
}

export interface SeedTaskEnvelope {
  task: SeedTask;
}
