import type { ReactNode } from "react";
import type { WebhookView } from "@/lib/schemas/webhooks";
import type { Column } from "../../ui/data-table";

/** The subscriptions table: receiver, events, status, secret hint, and the row's actions. */
export function webhookColumns(actions: (w: WebhookView) => ReactNode): Column<WebhookView>[] {
  return [
    {
      header: "Receiver",
      className: "break-all",
      cell: (w) => (
        <>
          {w.name && <span className="block font-medium">{w.name}</span>}
          <span className="font-mono text-xs">{w.url}</span>
        </>
      ),
    },
    { header: "Events", cell: (w) => w.event_types.join(", ") },
    {
      header: "Status",
      cell: (w) => (w.managed_by_env ? "set by environment" : w.enabled ? "active" : "disabled"),
    },
    { header: "Secret", className: "font-mono text-xs", cell: (w) => w.secret_hint },
    { header: "Actions", hideHeader: true, cell: actions },
  ];
}
