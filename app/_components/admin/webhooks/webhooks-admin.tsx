"use client";

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
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [tested, setTested] = useState<string | null>(null);
  const setEnabled = useSetEnabled();
  const remove = useDeleteWebhook();
  const test = useSendTest((delivery) => {
    setShown(delivery.webhook_id);
    setTested(`Test sent: ${outcomeText(delivery.last_status_code, delivery.last_error)}`);
  });
  const failed = setEnabled.error ?? remove.error ?? test.error;
  const selected = webhooks.data?.find((w) => w.id === shown);

  const actions = (w: WebhookView) => (
    <span className="flex flex-wrap gap-1">
      <button
        type="button"
        className="btn-secondary"
        disabled={test.isPending}
        aria-label={`Send a test to ${w.url}`}
        onClick={() => {
          setTested(null);
          test.mutate(w.id);
        }}
      >
        Send test
      </button>
      <button
        type="button"
        className="btn-ghost"
        aria-pressed={shown === w.id}
        aria-label={`Deliveries of ${w.url}`}
        onClick={() => setShown(shown === w.id ? null : w.id)}
      >
        Deliveries
      </button>
      {!w.managed_by_env && (
        <>
          <button
            type="button"
            className="btn-secondary"
            disabled={setEnabled.isPending}
            aria-label={`${w.enabled ? "Disable" : "Enable"} ${w.url}`}
            onClick={() => setEnabled.mutate({ id: w.id, enabled: !w.enabled })}
          >
            {w.enabled ? "Disable" : "Enable"}
          </button>
          <button
            type="button"
            className="btn-danger"
            disabled={remove.isPending}
            aria-label={`Delete ${w.url}`}
            onClick={() => {
              if (window.confirm(`Delete the subscription of ${w.url} and its delivery log?`)) {
                if (shown === w.id) setShown(null);
                remove.mutate(w.id);
              }
            }}
          >
            Delete
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
        <Panel title="Subscriptions">
          {failed && <ErrorMessage>Not done: {errorMessage(failed)}</ErrorMessage>}
          {tested && <Notice>{tested}</Notice>}
          <QueryTable
            testId="webhooks-table"
            columns={webhookColumns(actions)}
            query={webhooks}
            what="the subscriptions"
            empty="No webhooks yet."
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
