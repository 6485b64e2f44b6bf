"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { CommandBar } from "../command/command-bar";
import { LiveIndicator } from "../live/live-changes";
import { LogoutButton } from "../session/logout-button";
import { useCan, useSession } from "../session/session-context";
import { EscalationNotifier } from "./escalation-notifier";
import { MainNav } from "./main-nav";
import { PreferencesMenu } from "./preferences-menu";
import { ThemeToggle } from "./theme";

export function AppHeader() {
  const { name, role } = useSession();
  const canReadEscalations = useCan("escalations:read");
  const t = useTranslations();
  return (
    // On a phone the navigation scrolls sideways on its own line and the controls wrap, so nothing
    // (Log out included) ends up off-screen.
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 px-3 py-2 backdrop-blur sm:px-4 dark:border-slate-800 dark:bg-slate-900/95">
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <div className="flex min-w-0 max-w-full flex-wrap items-center gap-x-4 gap-y-2">
          <Link href="/" className="text-lg font-semibold whitespace-nowrap">
            {t("app.name")}
          </Link>
          <MainNav />
        </div>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
          <CommandBar />
          <LiveIndicator />
          {canReadEscalations && <EscalationNotifier />}
          <ThemeToggle />
          <PreferencesMenu />
          <span data-testid="signed-in-as" className="max-w-48 truncate whitespace-nowrap">
            {name}
            {role && <span className="muted ml-1">({t(`roles.${role}`)})</span>}
          </span>
          <LogoutButton />
        </div>
      </div>
    </header>
  );
}
