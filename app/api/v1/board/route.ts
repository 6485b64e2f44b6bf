import { board } from "@/lib/api/routes/board";
import { boardSnapshot } from "@/server/engine/presenters/board";
import { wallSnapshot } from "@/server/engine/presenters/wall";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(board, async ({ app, principal, query }) => {
  // The wall key (board:read without tasks:read) gets the wall's read model, and may not
  // filter on what that model hides (a client filter would tell it who the clients are).
  if (principal?.permissions.has("tasks:read"))
    return boardSnapshot(app.engine.prisma, app.engine.clock, query);
  const { client: _client, assignee: _assignee, q: _q, ...wallQuery } = query;
  return wallSnapshot(await boardSnapshot(app.engine.prisma, app.engine.clock, wallQuery));
});
