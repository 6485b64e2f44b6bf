"use client";

import { useTranslations } from "next-intl";
import type { AuditEntryView } from "@/lib/metrics";
import { isTaskState } from "@/lib/states";
import { IntentLink } from "../shell/intent-link";
import { DataTable } from "../ui/data-table";
import { useFormat } from "../ui/format";
import { useStateLabel } from "../ui/state-badge";

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A detail value in words: scalars as they are (a timestamp in the reader's format, never raw
 * ISO), lists joined, objects as "key: value" pairs.
 */
function detailText(value: unknown, dateTime: (iso: string) => string): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.map((v) => detailText(v, dateTime)).join(", ");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k.replaceAll("_", " ")}: ${detailText(v, dateTime)}`)
      .join(", ");
  }
  if (typeof value === "string" && ISO_DATE_TIME.test(value)) return dateTime(value);
  return String(value);
}

/** "user:alice@agence.fr" → the name, and what kind of actor it is (person, API key, system…). */
export function splitActor(actor: string): { name: string; kind: string | null } {
  const colon = actor.indexOf(":");
  if (colon < 0) return { name: actor, kind: actor === "system" ? "system" : null };
  return { name: actor.slice(colon + 1), kind: actor.slice(0, colon) };
}

function Who({ actor }: { actor: string }) {
  const t = useTranslations("audit.actorKinds");
  const { name, kind } = splitActor(actor);
  const kindLabel = kind && t.has(kind as "user") ? t(kind as "user") : kind;
  return (
    <span className="flex flex-col" title={actor}>
      <span className="break-words">{name}</span>
      {kindLabel && kindLabel !== name && <span className="muted text-xs">{kindLabel}</span>}
    </span>
  );
}

/** Audit entries: who did what (in words), when, from which state to which, why. */
export function AuditTable({ entries, showTask = true }: { entries: AuditEntryView[]; showTask?: boolean }) {
  const t = useTranslations("audit");
  const format = useFormat();
  const stateLabel = useStateLabel();
  const actionText = (action: string) =>
    t.has(`actions.${action}` as "actions.task.created")
      ? t(`actions.${action}` as "actions.task.created")
      : action;
  // State codes stay as they are (QUEUED → ON_HOLD): exact, and the same in every language; the
  // translated name is their tooltip.
  const state = (s: string | null) => s ?? "—";
  const stateTitle = (s: string | null) => (s !== null && isTaskState(s) ? stateLabel(s) : (s ?? ""));
  if (entries.length === 0) return <p className="muted text-sm">{t("noEntries")}</p>;
  return (
    <div className="overflow-x-auto">
      <DataTable
        testId="audit-table"
        rows={entries}
        rowKey={(e) => String(e.id)}
        rowProps={() => ({ className: "align-top" })}
        columns={[
          {
            header: t("cols.when"),
            className: "whitespace-nowrap",
            cell: (e) => <time dateTime={e.at}>{format.dateTime(e.at)}</time>,
          },
          showTask && {
            header: t("cols.task"),
            className: "font-mono text-xs whitespace-nowrap",
            cell: (e) => (e.taskId ? <IntentLink href={`/tasks/${e.taskId}`}>{e.taskId}</IntentLink> : "—"),
          },
          { header: t("cols.who"), className: "min-w-40", cell: (e) => <Who actor={e.actor} /> },
          {
            header: t("cols.action"),
            className: "min-w-40",
            cell: (e) => (
              <span title={e.action} data-action={e.action}>
                {actionText(e.action)}
              </span>
            ),
          },
          {
            header: t("cols.transition"),
            className: "whitespace-nowrap",
            cell: (e) =>
              e.fromState || e.toState ? (
                <span title={`${stateTitle(e.fromState)} → ${stateTitle(e.toState)}`}>
                  {state(e.fromState)} → {state(e.toState)}
                </span>
              ) : (
                ""
              ),
          },
          {
            header: t("cols.why"),
            className: "muted text-xs break-words min-w-48",
            cell: (e) => (
              <>
                {e.reason && <span className="text-slate-900 dark:text-slate-100">{e.reason} </span>}
                {e.details && typeof e.details === "object" && Object.keys(e.details).length > 0 && (
                  <span>{detailText(e.details, format.dateTime)}</span>
                )}
              </>
            ),
          },
        ]}
      />
    </div>
  );
}
