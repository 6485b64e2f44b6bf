import createNextIntlPlugin from "next-intl/plugin";
import { securityHeaders } from "./lib/security-headers.js";

const dev = process.env.NODE_ENV === "development";

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
    // The same list is on the answers of server/http/fast-routes.ts, served outside Next.
    return [{ source: "/:path*", headers: securityHeaders(dev) }];
  },
  // `npm run typecheck` checks the whole project (server, tests, scripts) once; doing it again
  // inside `next build` only doubles the build time on small machines.
  typescript: { ignoreBuildErrors: true },
};

// next-intl reads each request's language and time zone from i18n/request.ts (no i18n routing).
const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

export default withNextIntl(nextConfig);
