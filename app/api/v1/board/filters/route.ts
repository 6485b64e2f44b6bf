import { boardFilterOptions as route } from "@/lib/api/routes/board";
import { boardFilterOptions } from "@/server/engine/presenters/board-filter-options";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(route, async ({ app }) => boardFilterOptions(app.engine.prisma));
