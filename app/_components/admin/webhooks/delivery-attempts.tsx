"use client";

import { DataTable } from "../../ui/data-table";
import { formatDateTime } from "../../ui/format";
import { QueryContent } from "../../ui/query-content";
import { OutcomeText } from "./delivery-status";
import { outcomeText, useDeliveryDetail } from "./webhook-data";

/** Every attempt of one delivery, oldest first: who sent it, when, the answer. */
export function DeliveryAttempts({ webhookId, deliveryId }: { webhookId: string; deliveryId: string }) {
  const detail = useDeliveryDetail(webhookId, deliveryId);
  return (
    <div id={`attempts-${deliveryId}`} className="rounded-md bg-slate-50 p-3 dark:bg-slate-950">
      <QueryContent query={detail} what="the attempts">
        {(delivery) =>
          delivery.attempt_log.length === 0 ? (
            <p className="muted text-sm">Not attempted yet.</p>
          ) : (
            <DataTable
              testId="attempts-table"
              caption={`Attempts of delivery ${deliveryId}`}
              rows={delivery.attempt_log}
              rowKey={(a) => String(a.attempt)}
              rowProps={(a) => ({ "data-attempt": String(a.attempt), className: "align-top" })}
              columns={[
                { header: "Attempt", cell: (a) => `#${a.attempt}` },
                {
                  header: "Sent by",
                  cell: (a) =>
                    a.trigger === "automatic" ? "worker" : `${a.trigger} · ${a.requested_by ?? ""}`,
                },
                {
                  header: "Started",
                  className: "whitespace-nowrap",
                  cell: (a) => formatDateTime(a.started_at),
                },
                {
                  header: "Answer",
                  cell: (a) => (
                    <OutcomeText statusCode={a.status_code} text={outcomeText(a.status_code, a.error)} />
                  ),
                },
                { header: "Time", className: "whitespace-nowrap", cell: (a) => `${a.response_ms} ms` },
                {
                  header: "Response body",
                  className: "font-mono text-xs break-all",
                  cell: (a) => a.response_body?.slice(0, 300) || <span className="muted">—</span>,
                },
              ]}
            />
          )
        }
      </QueryContent>
    </div>
  );
}
