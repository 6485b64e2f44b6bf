import type { ReactNode } from "react";
import type { WebhookView } from "@/lib/schemas/webhooks";
import type { Column } from "../../ui/data-table";

/** The subscriptions table: receiver, events, status, secret hint, and the row's actions. */
export function webhookColumns(
  t: (
    key: "receiver" | "events" | "status" | "byEnv" | "active" | "disabled" | "secret" | "actions",
  ) => string,
  actions: (w: WebhookView) => ReactNode,
): Column<WebhookView>[] {
  return [
    {
      header: t("receiver"),
      className: "break-all",
      cell: (w) => (
        <>
          {w.name && <span className="block font-medium">{w.name}</span>}
          <span className="font-mono text-xs">{w.url}</span>
        </>
      ),
    },
    { header: t("events"), cell: (w) => w.event_types.join(", ") },
    {
      header: t("status"),
      cell: (w) => (w.managed_by_env ? t("byEnv") : w.enabled ? t("active") : t("disabled")),
    },
    { header: t("secret"), className: "font-mono text-xs", cell: (w) => w.secret_hint },
    { header: t("actions"), hideHeader: true, cell: actions },
  ];
}
