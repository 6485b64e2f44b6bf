"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { LiveIndicator } from "../live/live-changes";
import { LogoutButton } from "../session/logout-button";
import { useSession } from "../session/session-context";
import { MainNav } from "./main-nav";
import { ThemeToggle } from "./theme";

export function AppHeader() {
  const { name, role } = useSession();
  const t = useTranslations();
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 px-4 py-2 backdrop-blur dark:border-slate-800 dark:bg-slate-900/95">
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <Link href="/" className="text-lg font-semibold whitespace-nowrap">
            {t("app.name")}
          </Link>
          <MainNav />
        </div>
        <div className="flex items-center gap-3 text-sm">
          <LiveIndicator />
          <ThemeToggle />
          <span data-testid="signed-in-as" className="whitespace-nowrap">
            {name}
            {role && <span className="muted ml-1">({t(`roles.${role}`)})</span>}
          </span>
          <LogoutButton />
        </div>
      </div>
    </header>
  );
}
