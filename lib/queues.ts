// The seven queues of the seed (SPEC §5). This table seeds the `queues` rows; at run time the
// database copy is authoritative so an admin can change SLA and capacity.

export const QUEUE_NAMES = [
  "critical",
  "urgent",
  "high_priority",
  "normal",
  "low_priority",
  "backlog",
  "scheduled",
] as const;

export type QueueName = (typeof QUEUE_NAMES)[number];

export interface QueueDefinition {
  name: QueueName;
  /** Minutes from queue entry; null for backlog (none) and scheduled (the planned date is the deadline). */
  slaMinutes: number | null;
  /** Max slots in use (tasks SCHEDULED or IN_PROGRESS) at once; null = unlimited. */
  capacity: number | null;
  description: string;
}

export const QUEUES: readonly QueueDefinition[] = [
  { name: "critical", slaMinutes: 60, capacity: 3, description: "Production incidents, security" },
  { name: "urgent", slaMinutes: 120, capacity: 5, description: "P1, blocking bugs" },
  { name: "high_priority", slaMinutes: 8 * 60, capacity: 20, description: "P2, VIP clients" },
  { name: "normal", slaMinutes: 24 * 60, capacity: 50, description: "P3, standard projects" },
  { name: "low_priority", slaMinutes: 72 * 60, capacity: 100, description: "P4, nice-to-have" },
  { name: "backlog", slaMinutes: null, capacity: null, description: "Best effort" },
  { name: "scheduled", slaMinutes: null, capacity: 50, description: "Tasks planned for a date" },
];

export function isQueueName(value: string): value is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(value);
}
