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
