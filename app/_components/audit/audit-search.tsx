"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import type { AuditPage } from "@/lib/metrics";
import { ApiError, apiFetch, queryString } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { useUrlParams } from "../hooks/use-url-params";
import { Field, fieldMessage } from "../ui/field";
import { ErrorMessage, Loading } from "../ui/page";
import { AuditTable } from "./audit-table";

const PARAMS = ["task_id", "actor", "action", "from", "to"] as const;
type Filters = Partial<Record<(typeof PARAMS)[number], string>>;

/** The audit log, newest first, searched by task, actor, action and time; older pages on demand. */
export function AuditSearch() {
  const [params, setParams] = useUrlParams(PARAMS);
  const t = useTranslations("audit");
  const [draft, setDraft] = useState<Filters>(params);
  const log = useInfiniteQuery({
    queryKey: queryKeys.audit(params),
    queryFn: ({ pageParam }) =>
      apiFetch<AuditPage>(`/api/v1/audit${queryString({ ...params, cursor: pageParam, limit: 50 })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const fields = log.error instanceof ApiError ? log.error.fields : [];

  function submit(event: FormEvent) {
    event.preventDefault();
    const changes: Record<string, string | null> = {};
    for (const key of PARAMS) changes[key] = draft[key]?.trim() || null;
    setParams(changes);
  }

  return (
    <div className="flex flex-col gap-4 px-4 pb-8">
      <form onSubmit={submit} aria-label={t("search")} className="panel flex flex-wrap items-end gap-3 p-4">
        {PARAMS.map((key) => (
          <Field key={key} label={t(`labels.${key}`)} error={fieldMessage(fields, key)} className="w-48">
            {(props) => (
              <input
                {...props}
                type={key === "from" || key === "to" ? "date" : "text"}
                value={draft[key] ?? ""}
                placeholder={
                  key === "task_id" ? "TASK-…" : key === "action" ? "task.transitioned" : undefined
                }
                onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
                className="input"
              />
            )}
          </Field>
        ))}
        <button type="submit" className="btn-primary">
          {t("submit")}
        </button>
        <button
          type="button"
          className="btn-secondary"
          onClick={() => {
            setDraft({});
            setParams({ task_id: null, actor: null, action: null, from: null, to: null });
          }}
        >
          {t("clear")}
        </button>
      </form>
      {log.isPending ? (
        <Loading what={t("loading")} />
      ) : log.error ? (
        <ErrorMessage>{t("couldNotSearch", { message: log.error.message })}</ErrorMessage>
      ) : (
        <section aria-label={t("entries")} className="panel p-4">
          <AuditTable entries={log.data.pages.flatMap((p) => p.entries)} />
          {log.hasNextPage && (
            <button
              type="button"
              className="btn-secondary mt-3"
              onClick={() => void log.fetchNextPage()}
              disabled={log.isFetchingNextPage}
            >
              {log.isFetchingNextPage ? t("loadingMore") : t("older")}
            </button>
          )}
        </section>
      )}
    </div>
  );
}
