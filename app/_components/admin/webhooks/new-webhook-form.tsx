"use client";

import { useTranslations } from "next-intl";
import { DEFAULT_EVENT_TYPES } from "@/lib/schemas/webhooks";
import { TextField } from "../../ui/field";
import { FormPanel, useFormValues } from "../../ui/form-panel";
import { type Created, useCreateWebhook } from "./webhook-data";

const EMPTY = { url: "", name: "", events: DEFAULT_EVENT_TYPES.join(", ") };
const PLACEHOLDER = "https://example.com/hooks/orchestrator";

/** Subscribe a URL; the server checks every field and its messages are shown by each. */
export function NewWebhookForm({ onCreated }: { onCreated: (created: Created) => void }) {
  const t = useTranslations("admin.hooks");
  const form = useFormValues(EMPTY);
  const create = useCreateWebhook((created) => {
    form.reset();
    onCreated(created);
  });
  const field = form.binder(create.error);
  const { url, name, events } = form.values;

  return (
    <FormPanel
      title={t("new")}
      submitLabel={t("add")}
      onSubmit={() => create.mutate({ url, name, event_types: events.split(/[\s,]+/).filter(Boolean) })}
      pending={create.isPending}
      error={create.error}
    >
      <TextField label={t("payloadUrl")} required type="url" placeholder={PLACEHOLDER} {...field("url")} />
      <TextField label={t("name")} {...field("name")} />
      <TextField
        label={t("eventTypes")}
        required
        hint={t("eventsHint")}
        {...field("events", "event_types")}
      />
    </FormPanel>
  );
}
