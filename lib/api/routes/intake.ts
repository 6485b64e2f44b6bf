import { z } from "zod";
import { intakeRequest } from "../../schemas/intake";
import { seedTaskSchema } from "../../schemas/seed-task";
import { defineRoute } from "../define-route";

export const submitIntake = defineRoute({
  method: "POST",
  path: "/api/v1/intake",
  permission: "intake:submit",
  summary:
    "A qualified request from client-intake → a task or a template's chain. Idempotent by Idempotency-Key header and by intake_id: a retry answers 200 with the same tasks",
  tag: "intake",
  body: intakeRequest,
  response: z.object({ intake_id: z.string(), replayed: z.boolean(), tasks: z.array(seedTaskSchema) }),
  status: 201,
});
