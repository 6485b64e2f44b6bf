import type { Metadata } from "next";
import { Suspense } from "react";
import { GraphExplorer } from "../../_components/graph/graph-explorer";
import { PageHeader } from "../../_components/ui/page";

export const metadata: Metadata = { title: "Dependency graph" };

export default function GraphPage() {
  return (
    <main>
      <PageHeader
        title="Dependency graph"
        description="Blockers on the left, the tasks waiting on them on the right."
      />
      <Suspense>
        <GraphExplorer />
      </Suspense>
    </main>
  );
}
