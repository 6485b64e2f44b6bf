import { countEscalations } from "@/lib/api/routes/escalations";
import { countOpenEscalations } from "@/server/engine/escalation/presenter";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(countEscalations, async ({ app }) =>
  countOpenEscalations(app.engine.prisma, app.engine.clock.now()),
);
