"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { apiSend } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { ErrorMessage, Notice } from "../ui/page";

type BulkAction =
  | { action: "acknowledge" }
  | { action: "assign"; assignee: string }
  | { action: "resolve"; note: string };
interface BulkResponse {
  results: { id: string; ok: boolean; error: { code: string; message: string } | null }[];
}

/** Acknowledge / assign to me / resolve the selected escalations in one request. */
export function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const queryClient = useQueryClient();
  const t = useTranslations("escalations.outlook");
  const [note, setNote] = useState("");
  const [resolving, setResolving] = useState(false);
  const bulk = useMutation({
    mutationFn: (action: BulkAction) =>
      apiSend<BulkResponse>("/api/v1/escalations/bulk-actions", { ids, action }),
    onSuccess: () => onDone(),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.escalationsAll }),
  });
  const results = bulk.data?.results;
  return (
    <div className="panel flex flex-col gap-2 p-2" data-testid="bulk-bar">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-semibold">{t("selected", { count: ids.length })}</span>
        <button
          type="button"
          className="btn-secondary"
          onClick={() => bulk.mutate({ action: "acknowledge" })}
        >
          {t("bulkAcknowledge")}
        </button>
        <button
          type="button"
          className="btn-secondary"
          onClick={() => bulk.mutate({ action: "assign", assignee: "me" })}
        >
          {t("bulkAssignMe")}
        </button>
        <button type="button" className="btn-secondary" onClick={() => setResolving(!resolving)}>
          {t("bulkResolve")}
        </button>
      </div>
      {resolving && (
        <form
          className="flex flex-wrap gap-2"
          onSubmit={(ev) => {
            ev.preventDefault();
            if (note.trim()) bulk.mutate({ action: "resolve", note: note.trim() });
          }}
        >
          <input
            className="input flex-1"
            aria-label={t("bulkResolveNote")}
            placeholder={t("bulkResolveNote")}
            value={note}
            onChange={(ev) => setNote(ev.target.value)}
          />
          <button type="submit" className="btn-primary" disabled={!note.trim()}>
            {t("bulkResolveConfirm")}
          </button>
        </form>
      )}
      {results && (
        <Notice>
          {t("bulkDone", {
            ok: results.filter((r) => r.ok).length,
            failed: results.filter((r) => !r.ok).length,
          })}
        </Notice>
      )}
      {bulk.error && <ErrorMessage>{bulk.error.message}</ErrorMessage>}
    </div>
  );
}
