import { z } from "zod";
import {
  ESCALATION_ACTIONS,
  ESCALATION_REASONS,
  ESCALATION_STATUSES,
  ESCALATION_TARGETS,
  ESCALATION_URGENCIES,
} from "../escalations";
import { QUEUE_NAMES } from "../queues";
import { TASK_STATES } from "../states";
import { listOf } from "./query-list";

// The escalation inbox's inputs (API and UI share them so both report the same field paths)
// and its answers in the seed's escalation format (SPEC §7), for the OpenAPI document.

export const ESCALATION_ID_PATTERN = /^ESC-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const escalationIdParams = z.object({
  id: z.string().regex(ESCALATION_ID_PATTERN, "Not an escalation id (ESC-<uuid>)"),
});

export const escalationListQuery = z.object({
  /** Default: the open ones (OPEN and ACKNOWLEDGED). */
  status: listOf(ESCALATION_STATUSES, "status").optional(),
  reason: listOf(ESCALATION_REASONS, "reason").optional(),
  task_id: z
    .string()
    .regex(/^TASK-\d{4}-\d{6}$/, "Not a task id")
    .optional(),
  escalated_to: listOf(ESCALATION_TARGETS, "target").optional(),
  /** A person (`user:<email>`), or `me` for the caller. */
  assignee: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type EscalationListQuery = z.infer<typeof escalationListQuery>;

const expectedVersion = z.number().int().min(1).optional();
const text = (what: string) => z.string().trim().min(1, `${what} is required`).max(1_000);

/** Every action: `expected_version` is the escalation's version the caller saw (stale → 409). */
export const escalationActionInput = z.discriminatedUnion(
  "action",
  [
    z.object({ action: z.literal("acknowledge"), expected_version: expectedVersion }),
    z.object({
      action: z.literal("assign"),
      expected_version: expectedVersion,
      /** A user id, an email, `user:<email>`, or `me`. */
      assignee: z.string().trim().min(1, "An assignee is required (a user id, an email, or me)").max(200),
    }),
    z.object({
      action: z.literal("retry"),
      expected_version: expectedVersion,
      reason: text("A reason").optional(),
    }),
    z.object({
      action: z.literal("unblock"),
      expected_version: expectedVersion,
      reason: text("A reason").optional(),
    }),
    z.object({
      action: z.literal("set_priority"),
      expected_version: expectedVersion,
      score: z.number().int().min(0, "Score is 0-100").max(100, "Score is 0-100"),
    }),
    z.object({
      action: z.literal("move_queue"),
      expected_version: expectedVersion,
      queue: z.enum(QUEUE_NAMES, { error: `Unknown queue; one of ${QUEUE_NAMES.join(", ")}` }),
      scheduled_for: z.iso.datetime({ offset: true }).optional(),
      reason: text("A reason").optional(),
    }),
    z.object({ action: z.literal("cancel"), expected_version: expectedVersion, reason: text("A reason") }),
    z.object({ action: z.literal("resolve"), expected_version: expectedVersion, note: text("A note") }),
  ],
  { error: () => `Unknown action; one of ${ESCALATION_ACTIONS.join(", ")}` },
);
export type EscalationActionInput = z.infer<typeof escalationActionInput>;

const iso = z.string().describe("ISO 8601");

/** The seed's escalation record (SPEC §7), key for key. */
export const seedEscalationSchema = z.object({
  escalation: z.object({
    task_id: z.string(),
    reason: z.enum(ESCALATION_REASONS),
    urgency: z.enum(ESCALATION_URGENCIES),
    context: z.record(z.string(), z.unknown()),
    suggested_action: z.string(),
    escalated_to: z
      .string()
      .describe(
        "The escalation policy's current level: account_manager, operator, or people — user:<email>, several comma-separated (a client's account managers)",
      ),
    deadline: iso,
  }),
});

export const escalationViewSchema = seedEscalationSchema.extend({
  id: z.string().describe("ESC-<uuid>"),
  status: z.enum(ESCALATION_STATUSES),
  context_at_raise: z
    .record(z.string(), z.unknown())
    .describe("The context as recorded when raised; escalation.context is read from the live task"),
  assignee: z.string().nullable(),
  resolution: z.string().nullable(),
  resolved_by: z.string().nullable().describe("Who resolved it; the engine's id when its cause went away"),
  level: z
    .object({
      number: z.number().int(),
      of: z.number().int(),
      next_target: z.string().nullable(),
      next_at: z.string().nullable().describe("When the next level is called in if nobody acknowledges"),
    })
    .describe("The escalation policy's level; escalated_to names its target"),
  reader_text: z
    .object({ reason: z.string(), suggested_action: z.string() })
    .optional()
    .describe(
      "The reason's name and the suggested action in the caller's language (their setting, else Accept-Language); suggested_action above stays as stored, in French, as the seed writes it",
    ),
  created_at: iso,
  acknowledged_at: iso.nullable(),
  resolved_at: iso.nullable(),
  version: z.number().int(),
  task: z.object({
    id: z.string(),
    title: z.string(),
    state: z.enum(TASK_STATES),
    queue: z.enum(QUEUE_NAMES),
    version: z.number().int(),
    client_name: z.string().nullable(),
    client_contact: z.string().nullable(),
    blocker_reason: z.string().nullable(),
    blocked_since: iso.nullable(),
    sla_deadline: iso.nullable().describe("The live SLA deadline"),
  }),
});

export const escalationPageSchema = z.object({
  escalations: z.array(escalationViewSchema),
  next_cursor: z.string().nullable(),
});

export const escalationCountSchema = z.object({
  open: z.number().int().describe("OPEN + ACKNOWLEDGED: the nav badge"),
  unacknowledged: z.number().int(),
  overdue: z.number().int().describe("Open ones past their deadline"),
  by_urgency: z.object({
    critical: z.number().int(),
    high: z.number().int(),
    medium: z.number().int(),
    low: z.number().int(),
  }),
});

/** The escalation after the action, and the other escalations of its task the action resolved (cancel). */
export const escalationActionResultSchema = escalationViewSchema.extend({
  also_resolved: z.array(z.string()),
});

const escalationLevel = z.object({
  target: z
    .string()
    .min(1)
    .max(200)
    .describe(
      "account_manager, operator, client_account_managers (the task's client's account managers, else the account managers' team) or user:<email>",
    ),
  delay_minutes: z
    .number()
    .int()
    .min(1)
    .max(10_080)
    .nullable()
    .describe("Minutes unacknowledged before the next level; null on the last"),
});

export const escalationPolicyInput = z.object({
  queue: z.enum(QUEUE_NAMES).nullable().describe("null = any queue"),
  reason: z.enum(ESCALATION_REASONS).nullable().describe("null = any reason"),
  levels: z.array(escalationLevel).min(1).max(10),
});

export const escalationPoliciesBody = z.object({ policies: z.array(escalationPolicyInput).min(1).max(200) });

/** Bulk acknowledge / assign / resolve for a selection (POST /api/v1/escalations/bulk-actions). */
export const escalationBulkInput = z.object({
  ids: z
    .array(z.string().regex(/^ESC-[0-9a-f-]{36}$/, "Not an escalation id (ESC-<uuid>)"))
    .min(1, "Select at least one escalation")
    .max(200),
  action: z.discriminatedUnion(
    "action",
    [
      z.object({ action: z.literal("acknowledge") }),
      z.object({ action: z.literal("assign"), assignee: z.string().trim().min(1).max(200) }),
      z.object({ action: z.literal("resolve"), note: text("A note") }),
    ],
    { error: () => "Bulk actions: acknowledge, assign, resolve" },
  ),
});

export const escalationBulkResultSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      ok: z.boolean(),
      /** When not ok: the error code and message (e.g. CONFLICT: already acknowledged). */
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
  ),
});

/** A client's account managers (PUT /api/v1/clients/{client}/account-managers). */
export const clientParams = z.object({
  client: z.string().trim().min(1, "Name the client").max(200).describe("The client's name, as on its tasks"),
});

export const clientAccountManagersInput = z.object({
  account_managers: z
    .array(z.string().trim().min(1).max(200))
    .max(20)
    .describe("Emails of active account managers (or admins), in order; [] removes the client's own"),
});

export const clientAccountManagersSchema = z.object({
  client: z.string(),
  account_managers: z.array(z.string()).describe("Emails, in order"),
});

export const clientAccountManagersList = z.object({ clients: z.array(clientAccountManagersSchema) });
