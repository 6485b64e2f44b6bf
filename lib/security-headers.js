// The security headers of every answer, in one list read by both doors: next.config.js's
// `headers()` (pages and the routes Next serves) and server/http/fast-routes.ts (the machine API
// answered outside Next). Plain JavaScript because next.config.js imports it; types beside it.

/**
 * @param {boolean} dev development mode: HMR needs eval in scripts
 * @returns {{ key: string, value: string }[]}
 */
export function securityHeaders(dev) {
  // Next inlines its bootstrap scripts, hence 'unsafe-inline'; dev mode also needs eval for HMR.
  const contentSecurityPolicy = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join("; ");
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "same-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ];
}
