"use client";

import { DEFAULT_EVENT_TYPES } from "@/lib/schemas/webhooks";
import { TextField } from "../../ui/field";
import { FormPanel, useFormValues } from "../../ui/form-panel";
import { type Created, useCreateWebhook } from "./webhook-data";

const EMPTY = { url: "", name: "", events: DEFAULT_EVENT_TYPES.join(", ") };
const PLACEHOLDER = "https://example.com/hooks/orchestrator";
const EVENTS_HINT = 'Separated by commas: exact types ("task.completed"), wildcards ("task.*") or "*"';

/** Subscribe a URL; the server checks every field and its messages are shown by each. */
export function NewWebhookForm({ onCreated }: { onCreated: (created: Created) => void }) {
  const form = useFormValues(EMPTY);
  const create = useCreateWebhook((created) => {
    form.reset();
    onCreated(created);
  });
  const field = form.binder(create.error);
  const { url, name, events } = form.values;

  return (
    <FormPanel
      title="New subscription"
      submitLabel="Add subscription"
      onSubmit={() => create.mutate({ url, name, event_types: events.split(/[\s,]+/).filter(Boolean) })}
      pending={create.isPending}
      error={create.error}
    >
      <TextField label="Payload URL" required type="url" placeholder={PLACEHOLDER} {...field("url")} />
      <TextField label="Name" {...field("name")} />
      <TextField label="Event types" required hint={EVENTS_HINT} {...field("events", "event_types")} />
    </FormPanel>
  );
}
