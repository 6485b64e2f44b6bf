import { runCommand } from "@/lib/api/routes/commands";
import { executeCommand } from "@/server/engine/routing/command-executor";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const POST = handle(runCommand, ({ app, principal, body }) =>
  executeCommand(app.engine, body.text, {
    actor: principal!.actor,
    can: (permission) => principal!.permissions.has(permission),
  }),
);
