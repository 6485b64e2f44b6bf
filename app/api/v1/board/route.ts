import { board } from "@/lib/api/routes/board";
import { boardSnapshot } from "@/server/engine/presenters/board";
import { wallSnapshot } from "@/server/engine/presenters/wall";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(board, async ({ app, principal }) => {
  const snapshot = await boardSnapshot(app.engine.prisma, app.engine.clock);
  // The wall key (board:read without tasks:read) gets the wall's read model.
  return principal?.permissions.has("tasks:read") ? snapshot : wallSnapshot(snapshot);
});
