import type { Metadata } from "next";
import type { ComponentType } from "react";
import type { Permission } from "@/lib/permissions";
import { GuardedPage } from "../ui/guarded-page";

// The admin pages, each with the permission it needs, its title and its line of description:
// app/(dashboard)/admin/<name>/page.tsx is `adminPage(name, Body)`.

const ADMIN_PAGES = {
  users: {
    permission: "users:manage",
    title: "Users",
    description: "Who may log in, and with which role.",
  },
  "api-keys": {
    permission: "api_keys:manage",
    title: "API keys",
    description: "Tokens for machines: client-intake, workers, read-only tools and wall displays.",
  },
  webhooks: {
    permission: "webhooks:manage",
    title: "Webhooks",
    description: "Signed HTTP notifications of task and escalation events, with every delivery and attempt.",
  },
} as const satisfies Record<string, { permission: Permission; title: string; description: string }>;

/** An admin page's metadata and component: its body behind its permission, under its header. */
export function adminPage(name: keyof typeof ADMIN_PAGES, Body: ComponentType) {
  const spec = ADMIN_PAGES[name];
  const metadata: Metadata = { title: spec.title };
  function AdminPage() {
    return (
      <GuardedPage {...spec}>
        <Body />
      </GuardedPage>
    );
  }
  return { metadata, AdminPage };
}
