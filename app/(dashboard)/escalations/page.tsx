import { useTranslations } from "next-intl";
import { Suspense } from "react";
import { EscalationInbox } from "../../_components/escalations/escalation-inbox";
import { PageHeader } from "../../_components/ui/page";
import { pageTitle } from "../../_components/ui/page-metadata";

export const generateMetadata = pageTitle("escalations");

export default function EscalationsPage() {
  const t = useTranslations("pages");
  return (
    <main>
      <PageHeader title={t("escalations.title")} description={t("escalations.description")} />
      <Suspense>
        <EscalationInbox />
      </Suspense>
    </main>
  );
}
