import { health } from "@/lib/api/routes/system";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(health, async ({ app }) => {
  try {
    await app.db.prisma.$queryRaw`SELECT 1`;
    const listener = app.db.listenerHealth().state;
    return {
      // Degraded: requests are served, but live changes and event-driven dispatch wait for the
      // listener to reconnect (it does by itself).
      status: listener === "up" ? "ok" : "degraded",
      database: app.db.kind,
      listener,
      uptime_s: Math.round((Date.now() - app.startedAt.getTime()) / 1000),
    };
  } catch {
    return Response.json(
      { status: "unavailable", database: app.db.kind, listener: app.db.listenerHealth().state },
      { status: 503 },
    );
  }
});
