import type { Metadata } from "next";
import { UsersAdmin } from "../../../_components/admin/users-admin";
import { RequirePermission } from "../../../_components/session/session-context";
import { PageHeader } from "../../../_components/ui/page";

export const metadata: Metadata = { title: "Users" };

export default function UsersPage() {
  return (
    <RequirePermission permission="users:manage">
      <main>
        <PageHeader title="Users" description="Who may log in, and with which role." />
        <UsersAdmin />
      </main>
    </RequirePermission>
  );
}
