import { logout } from "@/lib/api/routes/auth";
import { endSession, SESSION_COOKIE } from "@/server/auth/sessions";
import { readCookie } from "@/server/http/authenticate";
import { assertSameOrigin } from "@/server/http/csrf";
import { handle } from "@/server/http/handle";
import { expiredSessionCookie } from "@/server/http/session-cookie";

export const dynamic = "force-dynamic";

export const POST = handle(logout, async ({ app, request }) => {
  const token = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  if (token) {
    assertSameOrigin(request);
    await endSession(app.engine.prisma, app.engine.clock, token);
  }
  return new Response(null, {
    status: 204,
    headers: { "set-cookie": expiredSessionCookie(request, SESSION_COOKIE) },
  });
});
