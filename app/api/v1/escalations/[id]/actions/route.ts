import { actOnEscalation } from "@/lib/api/routes/escalations";
import { actOnEscalation as act } from "@/server/engine/escalation/inbox";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";
import { withReaderText } from "@/server/i18n/escalation-text";

export const dynamic = "force-dynamic";

export const POST = handle(actOnEscalation, async ({ app, params, principal, body, locale }) =>
  withReaderText(await act(app.engine, params.id, body, requireActor(principal)), locale),
);
