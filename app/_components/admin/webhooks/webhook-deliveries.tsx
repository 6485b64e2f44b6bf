"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { WebhookView } from "@/lib/schemas/webhooks";
import { errorMessage } from "../../api-client";
import { useFormat } from "../../ui/format";
import { ErrorMessage, Notice } from "../../ui/page";
import { Panel } from "../../ui/panel";
import { QueryTable } from "../../ui/query-content";
import { DeliveryAttempts } from "./delivery-attempts";
import { DeliveryStatusText, OutcomeText } from "./delivery-status";
import { outcomeText, useDeliveries, useResend } from "./webhook-data";

/** One subscription's newest deliveries; expand one for its attempts, resend a finished one. */
export function WebhookDeliveries({ webhook }: { webhook: WebhookView }) {
  const deliveries = useDeliveries(webhook.id);
  const t = useTranslations("admin.hooks");
  const format = useFormat();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [resent, setResent] = useState<string | null>(null);
  const resend = useResend((attempt) =>
    setResent(
      attempt
        ? t("resentAs", {
            attempt: attempt.attempt,
            outcome: outcomeText(attempt.status_code, attempt.error),
          })
        : t("resent"),
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
      title={t("deliveriesOf", { url: webhook.name || webhook.url })}
      actions={
        <button type="button" className="btn-secondary" onClick={() => void deliveries.refetch()}>
          {t("refresh")}
        </button>
      }
    >
      {resend.error && <ErrorMessage>{t("notResent", { message: errorMessage(resend.error) })}</ErrorMessage>}
      {resent && !resend.error && <Notice>{resent}</Notice>}
      <QueryTable
        query={deliveries}
        what={t("deliveriesWhat")}
        loadingWhat={t("deliveriesLoading")}
        empty={t("noDeliveries")}
        testId="deliveries-table"
        caption={t("caption", { url: webhook.url })}
        rowKey={(d) => d.id}
        rowProps={(d) => ({ "data-delivery-id": d.id, "data-status": d.status })}
        detail={(d) => open.has(d.id) && <DeliveryAttempts webhookId={webhook.id} deliveryId={d.id} />}
        columns={[
          { header: t("event"), className: "whitespace-nowrap", cell: (d) => d.event_type },
          { header: t("status"), cell: (d) => <DeliveryStatusText status={d.status} /> },
          { header: t("attempts"), cell: (d) => d.attempts },
          {
            header: t("lastAnswer"),
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
            header: t("created"),
            className: "whitespace-nowrap",
            cell: (d) => format.dateTime(d.created_at),
          },
          {
            header: t("actions"),
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
                  {t("attempts")}
                </button>
                <button
                  type="button"
                  className="btn-secondary"
                  disabled={d.status === "pending" || resend.isPending}
                  title={d.status === "pending" ? t("pendingTitle") : undefined}
                  onClick={() => {
                    setResent(null);
                    setOpen((current) => new Set(current).add(d.id));
                    resend.mutate({ webhookId: webhook.id, deliveryId: d.id });
                  }}
                >
                  {t("resend")}
                </button>
              </span>
            ),
          },
        ]}
      />
    </Panel>
  );
}
