"use client";

import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import type { Permission } from "@/lib/permissions";
import { useSession } from "../session/session-context";
import { EscalationBadge } from "./escalation-badge";
import { IntentLink } from "./intent-link";

export interface NavItem {
  href: string;
  label:
    | "board"
    | "queues"
    | "escalations"
    | "graph"
    | "metrics"
    | "audit"
    | "newTask"
    | "users"
    | "apiKeys"
    | "webhooks";
  permission: Permission;
  badge?: boolean;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "board", permission: "tasks:read" },
  { href: "/queues", label: "queues", permission: "tasks:read" },
  { href: "/escalations", label: "escalations", permission: "escalations:read", badge: true },
  { href: "/graph", label: "graph", permission: "tasks:read" },
  { href: "/metrics", label: "metrics", permission: "metrics:read" },
  { href: "/audit", label: "audit", permission: "audit:read" },
  { href: "/tasks/new", label: "newTask", permission: "tasks:create" },
  { href: "/admin/users", label: "users", permission: "users:manage" },
  { href: "/admin/api-keys", label: "apiKeys", permission: "api_keys:manage" },
  { href: "/admin/webhooks", label: "webhooks", permission: "webhooks:manage" },
];

function isCurrent(pathname: string, href: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** The pages this person may use, and nothing else. */
export function MainNav() {
  const pathname = usePathname();
  const { permissions } = useSession();
  const t = useTranslations("nav");
  return (
    <nav aria-label={t("label")} className="-mx-1 max-w-full overflow-x-auto px-1">
      <ul className="flex items-center gap-1 sm:flex-wrap">
        {NAV_ITEMS.filter((item) => permissions.includes(item.permission)).map((item) => {
          const current = isCurrent(pathname, item.href);
          return (
            <li key={item.href}>
              <IntentLink
                href={item.href}
                aria-current={current ? "page" : undefined}
                className={`inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap ${
                  current
                    ? "bg-sky-100 text-sky-900 dark:bg-sky-900/60 dark:text-sky-100"
                    : "text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
                }`}
              >
                {t(item.label)}
                {item.badge && <EscalationBadge />}
              </IntentLink>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
