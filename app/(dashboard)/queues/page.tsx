import { useTranslations } from "next-intl";
import { QueuesBoard } from "../../_components/queues/queues-board";
import { PageHeader } from "../../_components/ui/page";
import { pageTitle } from "../../_components/ui/page-metadata";

export const generateMetadata = pageTitle("queues");

export default function QueuesPage() {
  const t = useTranslations("pages");
  return (
    <main>
      <PageHeader title={t("queues.title")} description={t("queues.description")} />
      <QueuesBoard />
    </main>
  );
}
