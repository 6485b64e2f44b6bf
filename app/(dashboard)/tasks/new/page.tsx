import { useTranslations } from "next-intl";
import { NewTaskForm } from "../../../_components/forms/new-task-form";
import { TemplateForm } from "../../../_components/forms/template-form";
import { RequirePermission } from "../../../_components/session/session-context";
import { PageHeader } from "../../../_components/ui/page";
import { pageTitle } from "../../../_components/ui/page-metadata";

export const generateMetadata = pageTitle("newTask");

export default function NewTaskPage() {
  const t = useTranslations("pages");
  return (
    <RequirePermission permission="tasks:create">
      <main>
        <PageHeader title={t("newTask.title")} description={t("newTask.description")} />
        <div className="grid gap-6 px-4 pb-8 xl:grid-cols-[3fr_2fr]">
          <section aria-labelledby="one-task">
            <h2 id="one-task" className="mb-2 text-base font-semibold">
              {t("newTask.one")}
            </h2>
            <NewTaskForm />
          </section>
          <section aria-labelledby="from-template">
            <h2 id="from-template" className="mb-2 text-base font-semibold">
              {t("newTask.fromTemplate")}
            </h2>
            <TemplateForm />
          </section>
        </div>
      </main>
    </RequirePermission>
  );
}
