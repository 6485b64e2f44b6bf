import { useTranslations } from "next-intl";
import { Suspense } from "react";
import { AuditSearch } from "../../_components/audit/audit-search";
import { RequirePermission } from "../../_components/session/session-context";
import { PageHeader } from "../../_components/ui/page";
import { pageTitle } from "../../_components/ui/page-metadata";

export const generateMetadata = pageTitle("audit");

export default function AuditPage() {
  const t = useTranslations("pages");
  return (
    <RequirePermission permission="audit:read">
      <main>
        <PageHeader title={t("audit.title")} description={t("audit.description")} />
        <Suspense>
          <AuditSearch />
        </Suspense>
      </main>
    </RequirePermission>
  );
}
