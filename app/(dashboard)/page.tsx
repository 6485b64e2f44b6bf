import { useTranslations } from "next-intl";
import { Suspense } from "react";
import { Board } from "../_components/board/board";
import { QuickAddTask } from "../_components/board/quick-add-task";
import { PageHeader } from "../_components/ui/page";
import { pageTitle } from "../_components/ui/page-metadata";

export const generateMetadata = pageTitle("board");

export default function BoardPage() {
  const t = useTranslations("pages");
  return (
    <main>
      <PageHeader title={t("board.title")} actions={<QuickAddTask />} />
      <Suspense>
        <Board />
      </Suspense>
    </main>
  );
}
