import { listClientAccountManagers } from "@/lib/api/routes/escalations";
import { listClientAccountManagers as list } from "@/server/engine/escalation/account-managers";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(listClientAccountManagers, async ({ app }) => ({
  clients: await list(app.engine.prisma),
}));
