import createNextIntlPlugin from "next-intl/plugin";

const dev = process.env.NODE_ENV === "development";

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

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // These hold native handles or process-wide state: they must be the server's own copies,
  // not bundled duplicates inside Next's route bundle.
  serverExternalPackages: [
    "socket.io",
    "pg",
    "@prisma/adapter-pg",
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "pino",
    "prom-client",
  ],
  poweredByHeader: false,
  // No floating dev badge: screenshots and demos from `npm run dev` look like production.
  devIndicators: false,
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
  // `npm run typecheck` checks the whole project (server, tests, scripts) once; doing it again
  // inside `next build` only doubles the build time on small machines.
  typescript: { ignoreBuildErrors: true },
};

// next-intl reads each request's language and time zone from i18n/request.ts (no i18n routing).
const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

export default withNextIntl(nextConfig);
