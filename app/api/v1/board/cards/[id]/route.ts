import { boardCard } from "@/lib/api/routes/board";
import { notFound } from "@/server/engine/errors";
import { boardCard as loadCard } from "@/server/engine/presenters/board";
import { wallCard } from "@/server/engine/presenters/wall";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(boardCard, async ({ app, params, principal }) => {
  const card = await loadCard(app.engine.prisma, params.id);
  if (!card) throw notFound("Task", params.id);
  return { card: principal?.permissions.has("tasks:read") ? card : wallCard(card) };
});
