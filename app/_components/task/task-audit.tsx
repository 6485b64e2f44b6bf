"use client";

import { useTranslations } from "next-intl";
import { AuditTable } from "../audit/audit-table";
import { useTaskAudit } from "../data/use-task";
import { useCan } from "../session/session-context";
import { ErrorMessage, Loading } from "../ui/page";

/** The task's audit trail (needs audit:read). */
export function TaskAudit({ taskId }: { taskId: string }) {
  const allowed = useCan("audit:read");
  const t = useTranslations("task");
  const tc = useTranslations("common");
  const { data, error, isPending } = useTaskAudit(taskId, allowed);
  if (!allowed) return null;
  return (
    <section aria-labelledby="audit-title" className="panel p-4">
      <h2 id="audit-title" className="mb-2 text-sm font-semibold">
        {t("auditTrail")}
      </h2>
      {isPending ? (
        <Loading what={t("auditLoading")} />
      ) : error ? (
        <ErrorMessage>{tc("couldNotLoad", { what: t("auditWhat"), message: error.message })}</ErrorMessage>
      ) : (
        <AuditTable entries={data.entries} showTask={false} />
      )}
    </section>
  );
}
