"use client";

import { useState } from "react";
import type { WebhookView } from "@/lib/schemas/webhooks";
import { errorMessage } from "../../api-client";
import { formatDateTime } from "../../ui/format";
import { ErrorMessage, Notice } from "../../ui/page";
import { Panel } from "../../ui/panel";
import { QueryTable } from "../../ui/query-content";
import { DeliveryAttempts } from "./delivery-attempts";
import { DeliveryStatusText, OutcomeText } from "./delivery-status";
import { outcomeText, useDeliveries, useResend } from "./webhook-data";

/** One subscription's newest deliveries; expand one for its attempts, resend a finished one. */
export function WebhookDeliveries({ webhook }: { webhook: WebhookView }) {
  const deliveries = useDeliveries(webhook.id);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [resent, setResent] = useState<string | null>(null);
  const resend = useResend((attempt) =>
    setResent(
      attempt
        ? `Resent as attempt #${attempt.attempt}: ${outcomeText(attempt.status_code, attempt.error)}`
        : "Resent.",
    ),
  );
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <Panel
      title={`Deliveries of ${webhook.name || webhook.url}`}
      actions={
        <button type="button" className="btn-secondary" onClick={() => void deliveries.refetch()}>
          Refresh
        </button>
      }
    >
      {resend.error && <ErrorMessage>Not resent: {errorMessage(resend.error)}</ErrorMessage>}
      {resent && !resend.error && <Notice>{resent}</Notice>}
      <QueryTable
        query={deliveries}
        what="the deliveries"
        empty="No deliveries yet: send a test."
        testId="deliveries-table"
        caption={`Deliveries of ${webhook.url}, newest first`}
        rowKey={(d) => d.id}
        rowProps={(d) => ({ "data-delivery-id": d.id, "data-status": d.status })}
        detail={(d) => open.has(d.id) && <DeliveryAttempts webhookId={webhook.id} deliveryId={d.id} />}
        columns={[
          { header: "Event", className: "whitespace-nowrap", cell: (d) => d.event_type },
          { header: "Status", cell: (d) => <DeliveryStatusText status={d.status} /> },
          { header: "Attempts", cell: (d) => d.attempts },
          {
            header: "Last answer",
            cell: (d) =>
              d.attempts === 0 ? (
                <span className="muted">—</span>
              ) : (
                <OutcomeText
                  statusCode={d.last_status_code}
                  text={outcomeText(d.last_status_code, d.last_error)}
                />
              ),
          },
          {
            header: "Created",
            className: "whitespace-nowrap",
            cell: (d) => formatDateTime(d.created_at),
          },
          {
            header: "Actions",
            hideHeader: true,
            className: "whitespace-nowrap",
            cell: (d) => (
              <span className="flex gap-1">
                <button
                  type="button"
                  className="btn-ghost"
                  aria-expanded={open.has(d.id)}
                  aria-controls={open.has(d.id) ? `attempts-${d.id}` : undefined}
                  onClick={() => toggle(d.id)}
                >
                  Attempts
                </button>
                <button
                  type="button"
                  className="btn-secondary"
                  disabled={d.status === "pending" || resend.isPending}
                  title={d.status === "pending" ? "Pending: the delivery worker sends it" : undefined}
                  onClick={() => {
                    setResent(null);
                    setOpen((current) => new Set(current).add(d.id));
                    resend.mutate({ webhookId: webhook.id, deliveryId: d.id });
                  }}
                >
                  Resend
                </button>
              </span>
            ),
          },
        ]}
      />
    </Panel>
  );
}
