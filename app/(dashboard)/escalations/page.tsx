import type { Metadata } from "next";
import { Suspense } from "react";
import { EscalationInbox } from "../../_components/escalations/escalation-inbox";
import { PageHeader } from "../../_components/ui/page";

export const metadata: Metadata = { title: "Escalations" };

export default function EscalationsPage() {
  return (
    <main>
      <PageHeader
        title="Escalations"
        description="Where automation could not go on: most urgent first, then the soonest deadline."
      />
      <Suspense>
        <EscalationInbox />
      </Suspense>
    </main>
  );
}
