import { boardCard } from "@/lib/api/routes/board";
import { notFound } from "@/server/engine/errors";
import { boardCard as loadCard } from "@/server/engine/presenters/board";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(boardCard, async ({ app, params }) => {
  const card = await loadCard(app.engine.prisma, params.id);
  if (!card) throw notFound("Task", params.id);
  return { card };
});
