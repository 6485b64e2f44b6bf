import {
  clientAccountManagersInput,
  clientAccountManagersList,
  clientAccountManagersSchema,
  clientParams,
  escalationActionInput,
  escalationActionResultSchema,
  escalationBulkInput,
  escalationBulkResultSchema,
  escalationCountSchema,
  escalationIdParams,
  escalationListQuery,
  escalationPageSchema,
  escalationPoliciesBody,
  escalationViewSchema,
} from "../../schemas/escalations";
import { defineRoute } from "../define-route";

export const listEscalations = defineRoute({
  method: "GET",
  path: "/api/v1/escalations",
  permission: "escalations:read",
  summary:
    "The escalation inbox in the seed's format: open ones by default, most urgent first then soonest deadline; filters status, reason, task_id, escalated_to, assignee (me); cursor-paginated",
  tag: "escalations",
  query: escalationListQuery,
  response: escalationPageSchema,
});

export const countEscalations = defineRoute({
  method: "GET",
  path: "/api/v1/escalations/count",
  permission: "escalations:read",
  summary: "How many escalations are open (the nav badge), unacknowledged, overdue, by urgency",
  tag: "escalations",
  response: escalationCountSchema,
});

export const getEscalation = defineRoute({
  method: "GET",
  path: "/api/v1/escalations/{id}",
  permission: "escalations:read",
  summary: "One escalation in the seed's format, with its status, assignee, version and task",
  tag: "escalations",
  params: escalationIdParams,
  response: escalationViewSchema,
});

export const actOnEscalation = defineRoute({
  method: "POST",
  idempotent: true,
  path: "/api/v1/escalations/{id}/actions",
  permission: "escalations:act",
  summary:
    "Act on an escalation: acknowledge, assign, retry / unblock / cancel the task (these resolve it), set_priority, move_queue, resolve with a note; stale expected_version → 409, resolved → 409",
  tag: "escalations",
  params: escalationIdParams,
  body: escalationActionInput,
  response: escalationActionResultSchema,
});

export const listEscalationPolicies = defineRoute({
  method: "GET",
  path: "/api/v1/escalation-policies",
  permission: "escalations:read",
  summary: "Who each escalation goes to, level after level, per queue and/or reason (the most specific wins)",
  tag: "escalations",
  response: escalationPoliciesBody,
});

export const putEscalationPolicies = defineRoute({
  method: "PUT",
  path: "/api/v1/escalation-policies",
  permission: "sla:manage",
  summary:
    "Replace every escalation policy at once (admins); a level pointing at nobody, a missing default or a second policy for one scope is a 400 naming the field, nothing changed",
  tag: "escalations",
  body: escalationPoliciesBody,
  response: escalationPoliciesBody,
});

export const bulkActOnEscalations = defineRoute({
  method: "POST",
  path: "/api/v1/escalations/bulk-actions",
  permission: "escalations:act",
  summary:
    "Acknowledge, assign or resolve a selection of escalations; each one in its own transaction, with a result per id (a refused one does not stop the others)",
  tag: "escalations",
  idempotent: true,
  body: escalationBulkInput,
  response: escalationBulkResultSchema,
});

export const listClientAccountManagers = defineRoute({
  method: "GET",
  path: "/api/v1/clients/account-managers",
  permission: "escalations:read",
  summary:
    "Each client's account managers, in order: whom an escalation policy level client_account_managers sends the client's escalations to",
  tag: "escalations",
  response: clientAccountManagersList,
});

export const putClientAccountManagers = defineRoute({
  method: "PUT",
  path: "/api/v1/clients/{client}/account-managers",
  permission: "sla:manage",
  summary:
    "Replace one client's account managers (admins); an unknown, inactive or unfit user is a 400 naming account_managers.N, nothing changed",
  tag: "escalations",
  params: clientParams,
  body: clientAccountManagersInput,
  response: clientAccountManagersSchema,
});
