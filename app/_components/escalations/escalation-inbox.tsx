"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { useEscalations } from "../data/use-escalations";
import { useUrlParams } from "../hooks/use-url-params";
import { useCan } from "../session/session-context";
import { ErrorMessage, Loading } from "../ui/page";
import { BulkBar } from "./bulk-bar";
import { EscalationDetail } from "./escalation-detail";
import { EscalationList } from "./escalation-list";
import { useEscalation } from "./use-escalation";

const PARAMS = ["id", "view", "mine"] as const;
const VIEWS = ["open", "resolved"] as const;

/** The inbox: open escalations by urgency then deadline, one opened beside the list. */
export function EscalationInbox() {
  const [params, setParams] = useUrlParams(PARAMS);
  const t = useTranslations("escalations");
  const tc = useTranslations("common");
  const view = params.view === "resolved" ? "resolved" : "open";
  const list = useEscalations({
    ...(view === "resolved" ? { status: "RESOLVED" } : {}),
    ...(params.mine ? { assignee: "me" } : {}),
  });
  const selectedId = params.id ?? list.data?.escalations[0]?.id;
  const selected = useEscalation(selectedId);
  const canAct = useCan("escalations:act");
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  // Only what is still listed stays selected (another person may have resolved some).
  const listed = new Set(list.data?.escalations.map((e) => e.id) ?? []);
  const selection = [...checked].filter((id) => listed.has(id));
  const toggle = (ids: string[], on: boolean) =>
    setChecked((prev) => {
      const next = new Set(prev);
      for (const id of ids) on ? next.add(id) : next.delete(id);
      return next;
    });

  return (
    <div className="grid gap-4 px-4 pb-8 lg:grid-cols-[minmax(18rem,2fr)_3fr]">
      <section aria-labelledby="inbox-list" className="flex min-w-0 flex-col gap-3">
        <h2 id="inbox-list" className="sr-only">
          {t("title")}
        </h2>
        <div className="flex flex-wrap items-center gap-2">
          {VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              aria-pressed={view === v}
              className={view === v ? "btn-primary" : "btn-secondary"}
              onClick={() => setParams({ view: v === "open" ? null : v, id: null })}
            >
              {t(`views.${v}`)}
            </button>
          ))}
          <label className="ml-2 inline-flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={Boolean(params.mine)}
              onChange={(e) => setParams({ mine: e.target.checked ? "1" : null, id: null })}
            />
            {t("mine")}
          </label>
        </div>
        {list.isPending ? (
          <Loading what={t("listLoading")} />
        ) : list.error ? (
          <ErrorMessage>
            {tc("couldNotLoad", { what: t("listWhat"), message: list.error.message })}
          </ErrorMessage>
        ) : (
          <>
            {canAct && selection.length > 0 && (
              <BulkBar ids={selection} onDone={() => setChecked(new Set())} />
            )}
            <EscalationList
              escalations={list.data.escalations}
              selectedId={selectedId}
              onSelect={(id) => setParams({ id })}
              checked={canAct && view === "open" ? new Set(selection) : undefined}
              onToggle={toggle}
            />
          </>
        )}
      </section>
      <section aria-label={t("selected")} className="min-w-0">
        {selected.data ? (
          <EscalationDetail escalation={selected.data} />
        ) : selected.error ? (
          <ErrorMessage>
            {tc("couldNotLoad", { what: t("oneWhat"), message: selected.error.message })}
          </ErrorMessage>
        ) : selectedId ? (
          <Loading what={t("oneLoading")} />
        ) : (
          <p className="muted p-4 text-sm">{t("choose")}</p>
        )}
      </section>
    </div>
  );
}
