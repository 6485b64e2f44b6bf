import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import type { SessionInfo } from "@/lib/session";
import { pagePrincipal } from "@/server/http/page-auth";
import { LiveChangesProvider } from "../_components/live/live-changes";
import { SessionProvider } from "../_components/session/session-context";
import { AppHeader } from "../_components/shell/app-header";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const principal = await pagePrincipal();
  if (!principal) redirect("/login");
  const t = await getTranslations("app");
  const session: SessionInfo = {
    name: principal.name,
    role: principal.role,
    actorRole: principal.actor?.role ?? null,
    permissions: [...principal.permissions],
  };

  return (
    <SessionProvider session={session}>
      <LiveChangesProvider>
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900"
        >
          {t("skipToContent")}
        </a>
        <AppHeader />
        <div id="main">{children}</div>
      </LiveChangesProvider>
    </SessionProvider>
  );
}
