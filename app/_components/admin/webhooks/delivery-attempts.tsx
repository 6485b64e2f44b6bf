"use client";

import { useTranslations } from "next-intl";
import { DataTable } from "../../ui/data-table";
import { useFormat } from "../../ui/format";
import { QueryContent } from "../../ui/query-content";
import { OutcomeText } from "./delivery-status";
import { outcomeText, useDeliveryDetail } from "./webhook-data";

/** Every attempt of one delivery, oldest first: who sent it, when, the answer. */
export function DeliveryAttempts({ webhookId, deliveryId }: { webhookId: string; deliveryId: string }) {
  const detail = useDeliveryDetail(webhookId, deliveryId);
  const t = useTranslations("admin.hooks");
  const format = useFormat();
  return (
    <div id={`attempts-${deliveryId}`} className="rounded-md bg-slate-50 p-3 dark:bg-slate-950">
      <QueryContent query={detail} what={t("attemptsWhat")} loadingWhat={t("attemptsLoading")}>
        {(delivery) =>
          delivery.attempt_log.length === 0 ? (
            <p className="muted text-sm">{t("notAttempted")}</p>
          ) : (
            <DataTable
              testId="attempts-table"
              caption={t("attemptsCaption", { id: deliveryId })}
              rows={delivery.attempt_log}
              rowKey={(a) => String(a.attempt)}
              rowProps={(a) => ({ "data-attempt": String(a.attempt), className: "align-top" })}
              columns={[
                { header: t("attempt"), cell: (a) => `#${a.attempt}` },
                {
                  header: t("sentBy"),
                  cell: (a) =>
                    a.trigger === "automatic" ? t("worker") : `${a.trigger} · ${a.requested_by ?? ""}`,
                },
                {
                  header: t("started"),
                  className: "whitespace-nowrap",
                  cell: (a) => format.dateTime(a.started_at),
                },
                {
                  header: t("answer"),
                  cell: (a) => (
                    <OutcomeText statusCode={a.status_code} text={outcomeText(a.status_code, a.error)} />
                  ),
                },
                {
                  header: t("time"),
                  className: "whitespace-nowrap",
                  cell: (a) => t("ms", { value: a.response_ms }),
                },
                {
                  header: t("responseBody"),
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
