"use client";

import { useTranslations } from "next-intl";
import { createContext, type ReactNode, useContext } from "react";
import type { Permission } from "@/lib/permissions";
import type { SessionInfo } from "@/lib/session";

const SessionContext = createContext<SessionInfo | null>(null);

export function SessionProvider({ session, children }: { session: SessionInfo; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionInfo {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside the dashboard layout");
  return session;
}

export function useCan(permission: Permission): boolean {
  return useSession().permissions.includes(permission);
}

/** Shows its children only to people holding `permission`; the others get a short explanation. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const t = useTranslations("common");
  if (useCan(permission)) return children;
  return (
    <main className="p-6">
      <p role="alert" className="panel p-4">
        {t.rich("noPermission", { permission, code: (chunks) => <code>{chunks}</code> })}
      </p>
    </main>
  );
}
