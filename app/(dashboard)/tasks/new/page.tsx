import type { Metadata } from "next";
import { NewTaskForm } from "../../../_components/forms/new-task-form";
import { TemplateForm } from "../../../_components/forms/template-form";
import { RequirePermission } from "../../../_components/session/session-context";
import { PageHeader } from "../../../_components/ui/page";

export const metadata: Metadata = { title: "New task" };

export default function NewTaskPage() {
  return (
    <RequirePermission permission="tasks:create">
      <main>
        <PageHeader
          title="New task"
          description="Create one task with every field of the seed format, or a template's whole chain of dependent tasks."
        />
        <div className="grid gap-6 px-4 pb-8 xl:grid-cols-[3fr_2fr]">
          <section aria-labelledby="one-task">
            <h2 id="one-task" className="mb-2 text-base font-semibold">
              One task
            </h2>
            <NewTaskForm />
          </section>
          <section aria-labelledby="from-template">
            <h2 id="from-template" className="mb-2 text-base font-semibold">
              From a template
            </h2>
            <TemplateForm />
          </section>
        </div>
      </main>
    </RequirePermission>
  );
}
