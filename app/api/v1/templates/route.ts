import { listTemplates } from "@/lib/api/routes/queues";
import { TEMPLATES } from "@/lib/templates";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(listTemplates, async () => ({ templates: TEMPLATES }));
