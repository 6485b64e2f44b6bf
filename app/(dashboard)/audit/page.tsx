import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditSearch } from "../../_components/audit/audit-search";
import { RequirePermission } from "../../_components/session/session-context";
import { PageHeader } from "../../_components/ui/page";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <RequirePermission permission="audit:read">
      <main>
        <PageHeader title="Audit log" description="Who did what, when, from which state to which, and why." />
        <Suspense>
          <AuditSearch />
        </Suspense>
      </main>
    </RequirePermission>
  );
}
