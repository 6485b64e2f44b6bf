import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import type { ComponentType } from "react";
import type { Permission } from "@/lib/permissions";
import { GuardedPage } from "../ui/guarded-page";

// The admin pages, each with the permission it needs; their title and line of description are
// messages admin.pages.<name>.*. app/(dashboard)/admin/<name>/page.tsx is `adminPage(name, Body)`.

const ADMIN_PAGES = {
  users: { permission: "users:manage" },
  "api-keys": { permission: "api_keys:manage" },
  webhooks: { permission: "webhooks:manage" },
} as const satisfies Record<string, { permission: Permission }>;

/** An admin page's metadata and component: its body behind its permission, under its header. */
export function adminPage(name: keyof typeof ADMIN_PAGES, Body: ComponentType) {
  const spec = ADMIN_PAGES[name];
  async function generateMetadata(): Promise<Metadata> {
    const t = await getTranslations("admin.pages");
    return { title: t(`${name}.title`) };
  }
  async function AdminPage() {
    const t = await getTranslations("admin.pages");
    return (
      <GuardedPage
        permission={spec.permission}
        title={t(`${name}.title`)}
        description={t(`${name}.description`)}
      >
        <Body />
      </GuardedPage>
    );
  }
  return { generateMetadata, AdminPage };
}
