"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { WebhookView } from "@/lib/schemas/webhooks";
import { errorMessage } from "../../api-client";
import { ErrorMessage, Notice } from "../../ui/page";
import { Panel } from "../../ui/panel";
import { QueryTable } from "../../ui/query-content";
import { CreatedSecretNotice } from "../created-secret";
import { NewWebhookForm } from "./new-webhook-form";
import { webhookColumns } from "./webhook-columns";
import { outcomeText, useDeleteWebhook, useSendTest, useSetEnabled, useWebhooks } from "./webhook-data";
import { WebhookDeliveries } from "./webhook-deliveries";

/**
 * Outbound webhooks: subscriptions (the secret shown once on create), enable/disable, delete,
 * a signed test message, and the chosen subscription's deliveries with their attempts.
 */
export function WebhooksAdmin() {
  const webhooks = useWebhooks();
  const t = useTranslations("admin.hooks");
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [tested, setTested] = useState<string | null>(null);
  const setEnabled = useSetEnabled();
  const remove = useDeleteWebhook();
  const test = useSendTest((delivery) => {
    setShown(delivery.webhook_id);
    setTested(t("testSent", { outcome: outcomeText(delivery.last_status_code, delivery.last_error) }));
  });
  const failed = setEnabled.error ?? remove.error ?? test.error;
  const selected = webhooks.data?.find((w) => w.id === shown);

  const actions = (w: WebhookView) => (
    <span className="flex flex-wrap gap-1">
      <button
        type="button"
        className="btn-secondary"
        disabled={test.isPending}
        aria-label={t("sendTestTo", { url: w.url })}
        onClick={() => {
          setTested(null);
          test.mutate(w.id);
        }}
      >
        {t("sendTest")}
      </button>
      <button
        type="button"
        className="btn-ghost"
        aria-pressed={shown === w.id}
        aria-label={t("deliveriesOf", { url: w.url })}
        onClick={() => setShown(shown === w.id ? null : w.id)}
      >
        {t("deliveries")}
      </button>
      {!w.managed_by_env && (
        <>
          <button
            type="button"
            className="btn-secondary"
            disabled={setEnabled.isPending}
            aria-label={t("toggleLabel", { action: w.enabled ? t("disable") : t("enable"), url: w.url })}
            onClick={() => setEnabled.mutate({ id: w.id, enabled: !w.enabled })}
          >
            {w.enabled ? t("disable") : t("enable")}
          </button>
          <button
            type="button"
            className="btn-danger"
            disabled={remove.isPending}
            aria-label={t("deleteLabel", { url: w.url })}
            onClick={() => {
              if (window.confirm(t("confirmDelete", { url: w.url }))) {
                if (shown === w.id) setShown(null);
                remove.mutate(w.id);
              }
            }}
          >
            {t("delete")}
          </button>
        </>
      )}
    </span>
  );

  return (
    <div className="flex flex-col gap-4 px-4 pb-8">
      {created && (
        <CreatedSecretNotice name={created.name} secret={created.secret} onDone={() => setCreated(null)} />
      )}
      <div className="grid gap-4 xl:grid-cols-[2fr_1fr]">
        <Panel title={t("subscriptions")}>
          {failed && <ErrorMessage>{t("notDone", { message: errorMessage(failed) })}</ErrorMessage>}
          {tested && <Notice>{tested}</Notice>}
          <QueryTable
            testId="webhooks-table"
            columns={webhookColumns(t, actions)}
            query={webhooks}
            what={t("what")}
            loadingWhat={t("loading")}
            empty={t("none")}
            rowKey={(w) => w.id}
            rowProps={(w) => ({ "data-url": w.url, className: w.enabled ? "align-top" : "muted align-top" })}
          />
        </Panel>
        <NewWebhookForm
          onCreated={({ webhook, secret }) => {
            setCreated({ name: webhook.name || webhook.url, secret });
            setShown(webhook.id);
          }}
        />
      </div>
      {selected && <WebhookDeliveries key={selected.id} webhook={selected} />}
    </div>
  );
}
