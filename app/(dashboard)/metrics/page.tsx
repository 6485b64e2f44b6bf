import { useTranslations } from "next-intl";
import { Suspense } from "react";
import { MetricsDashboard } from "../../_components/metrics/metrics-dashboard";
import { PageHeader } from "../../_components/ui/page";
import { pageTitle } from "../../_components/ui/page-metadata";

export const generateMetadata = pageTitle("metrics");

export default function MetricsPage() {
  const t = useTranslations("pages");
  return (
    <main>
      <PageHeader title={t("metrics.title")} description={t("metrics.description")} />
      <Suspense>
        <MetricsDashboard />
      </Suspense>
    </main>
  );
}
