import Link from "next/link";
import type { AuditEntryView } from "@/lib/metrics";
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
      <table className="w-full text-left text-sm" data-testid="audit-table">
        <thead className="muted text-xs uppercase">
          <tr>
            <th scope="col" className="py-1 pr-3">
              When
            </th>
            {showTask && (
              <th scope="col" className="py-1 pr-3">
                Task
              </th>
            )}
            <th scope="col" className="py-1 pr-3">
              Who
            </th>
            <th scope="col" className="py-1 pr-3">
              Action
            </th>
            <th scope="col" className="py-1 pr-3">
              Transition
            </th>
            <th scope="col" className="py-1 pr-3">
              Why / details
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {entries.map((entry) => (
            <tr key={entry.id} className="align-top">
              <td className="py-1.5 pr-3 whitespace-nowrap">
                <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
              </td>
              {showTask && (
                <td className="py-1.5 pr-3 font-mono text-xs whitespace-nowrap">
                  {entry.taskId ? <Link href={`/tasks/${entry.taskId}`}>{entry.taskId}</Link> : "—"}
                </td>
              )}
              <td className="py-1.5 pr-3 break-all">{entry.actor}</td>
              <td className="py-1.5 pr-3 whitespace-nowrap">{entry.action}</td>
              <td className="py-1.5 pr-3 whitespace-nowrap">
                {entry.fromState || entry.toState
                  ? `${entry.fromState ?? "—"} → ${entry.toState ?? "—"}`
                  : ""}
              </td>
              <td className="muted py-1.5 pr-3 text-xs break-words">
                {entry.reason && <span className="text-slate-900 dark:text-slate-100">{entry.reason} </span>}
                {details(entry.details)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
