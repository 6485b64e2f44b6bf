import type { Metadata } from "next";
import { QueuesBoard } from "../../_components/queues/queues-board";
import { PageHeader } from "../../_components/ui/page";

export const metadata: Metadata = { title: "Queues" };

export default function QueuesPage() {
  return (
    <main>
      <PageHeader
        title="Queues"
        description="Capacity, waiting lists in dispatch order and SLA risk per queue. Drag a task by its handle to reorder it or move it to another queue."
      />
      <QueuesBoard />
    </main>
  );
}
