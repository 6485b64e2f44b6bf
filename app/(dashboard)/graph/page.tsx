import { useTranslations } from "next-intl";
import { Suspense } from "react";
import { GraphExplorer } from "../../_components/graph/graph-explorer";
import { PageHeader } from "../../_components/ui/page";
import { pageTitle } from "../../_components/ui/page-metadata";

export const generateMetadata = pageTitle("graph");

export default function GraphPage() {
  const t = useTranslations("pages");
  return (
    <main>
      <PageHeader title={t("graph.title")} description={t("graph.description")} />
      <Suspense>
        <GraphExplorer />
      </Suspense>
    </main>
  );
}
