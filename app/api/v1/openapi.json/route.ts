import { openapi } from "@/lib/api/routes/system";
import { handle } from "@/server/http/handle";
import { openApiDocument } from "@/server/http/openapi";

export const dynamic = "force-dynamic";

export const GET = handle(openapi, async () => openApiDocument());
