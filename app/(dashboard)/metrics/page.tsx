import type { Metadata } from "next";
import { Suspense } from "react";
import { MetricsDashboard } from "../../_components/metrics/metrics-dashboard";
import { PageHeader } from "../../_components/ui/page";

export const metadata: Metadata = { title: "Metrics" };

export default function MetricsPage() {
  return (
    <main>
      <PageHeader
        title="Metrics"
        description="The seven key metrics against their targets, overall, per queue and per day."
      />
      <Suspense>
        <MetricsDashboard />
      </Suspense>
    </main>
  );
}
