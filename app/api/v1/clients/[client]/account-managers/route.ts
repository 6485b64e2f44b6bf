import { putClientAccountManagers } from "@/lib/api/routes/escalations";
import { putClientAccountManagers as put } from "@/server/engine/escalation/account-managers";
import { requireActor } from "@/server/http/api-route";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const PUT = handle(putClientAccountManagers, async ({ app, principal, params, body }) =>
  put(app.engine, params.client, body.account_managers, requireActor(principal)),
);
