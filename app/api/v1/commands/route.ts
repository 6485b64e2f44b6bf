import { runCommand } from "@/lib/api/routes/commands";
import { executeCommand } from "@/server/engine/routing/command-executor";
import { handle } from "@/server/http/handle";
import { localizeMessage } from "@/server/i18n/localize-message";
import { requestLocale } from "@/server/i18n/request-locale";

export const dynamic = "force-dynamic";

/** The free-text router; its answer is in the caller's language. */
export const POST = handle(runCommand, async ({ app, principal, body, request }) => {
  const outcome = await executeCommand(app.engine, body.text, {
    actor: principal!.actor,
    can: (permission) => principal!.permissions.has(permission),
  });
  return { ...outcome, message: localizeMessage(outcome.message, requestLocale(request, principal)) };
});
