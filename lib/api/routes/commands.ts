import { z } from "zod";
import { CAPABILITIES } from "../../routing-table";
import { defineRoute } from "../define-route";

export const runCommand = defineRoute({
  method: "POST",
  idempotent: true,
  path: "/api/v1/commands",
  permission: "commands:run",
  summary:
    'Free text in French or English, routed by the seed\'s keyword table to the capability that handles it ("bump TASK-2026-000012", "annuler TASK-…", "rapport de la semaine")',
  tag: "commands",
  body: z.object({ text: z.string().trim().min(1, "Say something").max(500) }),
  response: z.object({
    capability: z.enum(CAPABILITIES).nullable(),
    keywords: z.array(z.string()),
    task_ids: z.array(z.string()),
    status: z.enum(["done", "info", "needs", "forbidden", "unknown"]),
    message: z.string(),
    needs: z.array(z.string()).optional(),
    result: z.unknown().optional(),
  }),
});

const workProposal = z.object({
  template_id: z.string(),
  matched: z.array(z.string()),
  context: z.object({
    client: z.object({ name: z.string().optional() }),
    project: z.object({
      type: z.string().optional(),
      budget_range: z.string().optional(),
      deadline: z.string().optional(),
    }),
  }),
  missing: z.array(z.enum(["client", "budget_range", "deadline"])),
});

export const proposeWorkRoute = defineRoute({
  method: "POST",
  path: "/api/v1/commands/propose-work",
  permission: "templates:use",
  summary:
    'Work from a sentence ("Refonte site e-commerce, budget 20k€, deadline juin"): the template it asks for with the budget range and deadline it states, for a person to confirm through POST /api/v1/templates/{id}/instantiate. Creates nothing; proposal is null when no template fits',
  tag: "commands",
  body: z.object({ text: z.string().trim().min(1).max(500) }),
  response: z.object({ proposal: workProposal.nullable() }),
});
