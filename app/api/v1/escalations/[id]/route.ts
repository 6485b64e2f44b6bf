import { getEscalation } from "@/lib/api/routes/escalations";
import { notFound } from "@/server/engine/errors";
import { loadEscalationView } from "@/server/engine/escalation/presenter";
import { handle } from "@/server/http/handle";
import { withReaderText } from "@/server/i18n/escalation-text";

export const dynamic = "force-dynamic";

export const GET = handle(getEscalation, async ({ app, params, locale }) => {
  const view = await loadEscalationView(app.engine.prisma, params.id, app.engine.clock.now());
  if (!view) throw notFound("Escalation", params.id);
  return withReaderText(view, locale);
});
