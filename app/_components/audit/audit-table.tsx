import Link from "next/link";
import type { AuditEntryView } from "@/lib/metrics";
import { DataTable } from "../ui/data-table";
import { formatDateTime } from "../ui/format";

function details(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "object") return String(value);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "";
  return entries
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
}

/** Audit entries: who did what, when, from which state to which, why. */
export function AuditTable({ entries, showTask = true }: { entries: AuditEntryView[]; showTask?: boolean }) {
  if (entries.length === 0) return <p className="muted text-sm">No entries.</p>;
  return (
    <div className="overflow-x-auto">
      <DataTable
        testId="audit-table"
        rows={entries}
        rowKey={(e) => String(e.id)}
        rowProps={() => ({ className: "align-top" })}
        columns={[
          {
            header: "When",
            className: "whitespace-nowrap",
            cell: (e) => <time dateTime={e.at}>{formatDateTime(e.at)}</time>,
          },
          showTask && {
            header: "Task",
            className: "font-mono text-xs whitespace-nowrap",
            cell: (e) => (e.taskId ? <Link href={`/tasks/${e.taskId}`}>{e.taskId}</Link> : "—"),
          },
          { header: "Who", className: "break-all", cell: (e) => e.actor },
          { header: "Action", className: "whitespace-nowrap", cell: (e) => e.action },
          {
            header: "Transition",
            className: "whitespace-nowrap",
            cell: (e) => (e.fromState || e.toState ? `${e.fromState ?? "—"} → ${e.toState ?? "—"}` : ""),
          },
          {
            header: "Why / details",
            className: "muted text-xs break-words",
            cell: (e) => (
              <>
                {e.reason && <span className="text-slate-900 dark:text-slate-100">{e.reason} </span>}
                {details(e.details)}
              </>
            ),
          },
        ]}
      />
    </div>
  );
}
