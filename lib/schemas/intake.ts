import { z } from "zod";
import { instantiateTemplateInput } from "./task-commands";
import { createTaskInput } from "./task-input";

/**
 * A qualified request from client-intake: who the client is, what the project is, and the work —
 * either a template's whole chain or one task in the seed's writable format.
 */
export const intakeRequest = z
  .object({
    intake_id: z
      .string()
      .trim()
      .regex(/^INK-[\w-]{1,60}$/, "Not an intake id (INK-…)"),
    client: z.object({
      name: z.string().trim().min(1).max(200),
      contact: z.string().trim().max(200).optional(),
    }),
    project: instantiateTemplateInput.shape.context.unwrap().shape.project,
    request: z
      .string()
      .trim()
      .max(10_000)
      .optional()
      .describe("The client's words, kept in the tasks' description"),
    priority: z.object({ factors: z.array(z.string().trim().min(1).max(64)).max(20).optional() }).optional(),
    template: z.string().trim().min(1).max(64).optional(),
    task: createTaskInput.omit({ intake_id: true, context: true }).optional(),
  })
  .refine((v) => (v.template === undefined) !== (v.task === undefined), {
    message: "Give exactly one of template, task",
    path: ["template"],
  });

export type IntakeRequest = z.infer<typeof intakeRequest>;
