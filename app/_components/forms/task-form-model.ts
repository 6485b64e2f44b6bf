import type { Messages } from "@/lib/i18n/messages";
import type { CreateTaskInput } from "@/lib/schemas/task-input";
import { parseDecimal } from "./decimal";

// The manual task form's values and how they become the API's writable seed format.

export interface TaskFormValues {
  title: string;
  description: string;
  type: string;
  skill_target: string;
  entry_point: string;
  /** "" = derived from the priority. */
  queue: string;
  /** datetime-local, for the scheduled queue. */
  scheduled_for: string;
  score: string;
  /** Comma-separated. */
  factors: string;
  estimated_duration_hours: string;
  assigned_to: string;
  blocked_by: string[];
  parent_task: string;
  client_name: string;
  client_contact: string;
  project_type: string;
  budget_range: string;
  project_deadline: string;
  intake_id: string;
}

export const EMPTY_TASK_FORM: TaskFormValues = {
  title: "",
  description: "",
  type: "",
  skill_target: "",
  entry_point: "",
  queue: "",
  scheduled_for: "",
  score: "",
  factors: "",
  estimated_duration_hours: "",
  assigned_to: "",
  blocked_by: [],
  parent_task: "",
  client_name: "",
  client_contact: "",
  project_type: "",
  budget_range: "",
  project_deadline: "",
  intake_id: "",
};

export type FieldKey = keyof Messages["fields"];

/** API field path → its label's key in messages (fields.*), for labels and the error summary. */
export const TASK_FIELD_KEYS: Record<string, FieldKey> = {
  "definition.title": "title",
  "definition.description": "description",
  "definition.type": "type",
  "definition.skill_target": "skill_target",
  "definition.entry_point": "entry_point",
  "queue.name": "queue",
  "queue.scheduled_for": "scheduled_for",
  "priority.score": "score",
  "priority.factors": "factors",
  "execution.estimated_duration_hours": "estimated_duration_hours",
  "execution.assigned_to": "assigned_to",
  "dependencies.blocked_by": "blocked_by",
  "dependencies.parent_task": "parent_task",
  "context.client.name": "client_name",
  "context.client.contact": "client_contact",
  "context.project.type": "project_type",
  "context.project.budget_range": "budget_range",
  "context.project.deadline": "project_deadline",
  intake_id: "intake_id",
};

/** The labels of TASK_FIELD_KEYS in the reader's language. */
export const fieldLabels = (t: (key: FieldKey) => string): Record<string, string> =>
  Object.fromEntries(Object.entries(TASK_FIELD_KEYS).map(([path, key]) => [path, t(key)]));

export const splitList = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Only what was filled in; numbers as numbers, read in either language ("3,5" is 3.5); a
 * non-number is sent as is for the server to name.
 */
export function toCreateInput(v: TaskFormValues): CreateTaskInput {
  const t = (s: string) => s.trim();
  const num = (s: string) => parseDecimal(s) ?? (s as unknown as number);
  const some = (o: object) => Object.keys(o).length > 0;
  const definition = {
    title: t(v.title),
    ...(t(v.description) && { description: t(v.description) }),
    ...(t(v.type) && { type: t(v.type) }),
    ...(t(v.skill_target) && { skill_target: t(v.skill_target) }),
    ...(t(v.entry_point) && { entry_point: t(v.entry_point) }),
  };
  const queue = {
    ...(v.queue && { name: v.queue as NonNullable<CreateTaskInput["queue"]>["name"] }),
    ...(v.queue === "scheduled" &&
      v.scheduled_for && { scheduled_for: new Date(v.scheduled_for).toISOString() }),
  };
  const priority = {
    ...(t(v.score) && { score: num(t(v.score)) }),
    ...(splitList(v.factors).length > 0 && { factors: splitList(v.factors) }),
  };
  const execution = {
    ...(t(v.estimated_duration_hours) && { estimated_duration_hours: num(t(v.estimated_duration_hours)) }),
    ...(t(v.assigned_to) && { assigned_to: t(v.assigned_to) }),
  };
  const dependencies = {
    ...(v.blocked_by.length > 0 && { blocked_by: v.blocked_by }),
    ...(v.parent_task && { parent_task: v.parent_task }),
  };
  const client = {
    ...(t(v.client_name) && { name: t(v.client_name) }),
    ...(t(v.client_contact) && { contact: t(v.client_contact) }),
  };
  const project = {
    ...(t(v.project_type) && { type: t(v.project_type) }),
    ...(t(v.budget_range) && { budget_range: t(v.budget_range) }),
    ...(v.project_deadline && { deadline: v.project_deadline }),
  };
  return {
    definition,
    ...(some(queue) && { queue }),
    ...(some(priority) && { priority }),
    ...(some(execution) && { execution }),
    ...(some(dependencies) && { dependencies }),
    ...((some(client) || some(project)) && {
      context: { ...(some(client) && { client }), ...(some(project) && { project }) },
    }),
    ...(t(v.intake_id) && { intake_id: t(v.intake_id) }),
  };
}
