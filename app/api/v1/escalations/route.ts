import { listEscalations } from "@/lib/api/routes/escalations";
import { listEscalations as list } from "@/server/engine/escalation/presenter";
import { handle } from "@/server/http/handle";
import { withReaderText } from "@/server/i18n/escalation-text";

export const dynamic = "force-dynamic";

export const GET = handle(listEscalations, async ({ app, principal, query, locale }) => {
  const page = await list(app.engine.prisma, query, principal?.actor?.id, app.engine.clock.now());
  return { ...page, escalations: page.escalations.map((view) => withReaderText(view, locale)) };
});
