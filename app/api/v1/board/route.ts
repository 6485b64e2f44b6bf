import { board } from "@/lib/api/routes/board";
import { boardSnapshot } from "@/server/engine/presenters/board";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(board, ({ app, query }) =>
  boardSnapshot(app.engine.prisma, app.engine.clock, query),
);
