import { health } from "@/lib/api/routes/system";
import { handle } from "@/server/http/handle";

export const dynamic = "force-dynamic";

export const GET = handle(health, async ({ app }) => {
  try {
    await app.db.prisma.$queryRaw`SELECT 1`;
    return {
      status: "ok",
      database: app.db.kind,
      uptime_s: Math.round((Date.now() - app.startedAt.getTime()) / 1000),
    };
  } catch {
    return Response.json({ status: "unavailable", database: app.db.kind }, { status: 503 });
  }
});
