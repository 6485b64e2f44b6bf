import type { Metadata } from "next";
import { Suspense } from "react";
import { Board } from "../_components/board/board";
import { QuickAddTask } from "../_components/board/quick-add-task";
import { PageHeader } from "../_components/ui/page";

export const metadata: Metadata = { title: "Board" };

export default function BoardPage() {
  return (
    <main>
      <PageHeader title="Board" actions={<QuickAddTask />} />
      <Suspense>
        <Board />
      </Suspense>
    </main>
  );
}
