import type { ReactNode } from "react";
import type { Permission } from "@/lib/permissions";
import { RequirePermission } from "../session/session-context";
import { PageHeader } from "./page";

/** A page for those holding `permission` (others are told they may not): its header, then its body. */
export function GuardedPage({
  permission,
  title,
  description,
  children,
}: {
  permission: Permission;
  title: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <RequirePermission permission={permission}>
      <main>
        <PageHeader title={title} description={description} />
        {children}
      </main>
    </RequirePermission>
  );
}
