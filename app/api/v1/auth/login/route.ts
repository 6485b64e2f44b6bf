import { login } from "@/lib/api/routes/auth";
import { loginRateLimiter } from "@/server/auth/login-rate-limit";
import { SESSION_COOKIE } from "@/server/auth/sessions";
import { login as logIn } from "@/server/auth/users";
import { rateLimited } from "@/server/http/api-route";
import { assertSameOrigin } from "@/server/http/csrf";
import { handle } from "@/server/http/handle";
import { clientIp, sessionCookie } from "@/server/http/session-cookie";

export const dynamic = "force-dynamic";

export const POST = handle(login, async ({ app, request, body }) => {
  // Login CSRF: a browser always sends Origin on a POST; other sites may not log people in.
  if (request.headers.get("origin")) assertSameOrigin(request);
  const limitKey = `${clientIp(request)}:${body.email.toLowerCase()}`;
  const limiter = loginRateLimiter(app.engine.prisma, app.engine.clock);
  const wait = await limiter.hit(limitKey);
  if (wait > 0) return rateLimited(wait);
  const { token, expiresAt, user } = await logIn(
    app.engine.prisma,
    app.engine.clock,
    body.email,
    body.password,
    {
      ip: clientIp(request),
    },
  );
  await limiter.reset(limitKey);
  return Response.json(
    { user },
    { headers: { "set-cookie": sessionCookie(request, SESSION_COOKIE, token, expiresAt) } },
  );
});
