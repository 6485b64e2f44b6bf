"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  DeliveryAttemptView,
  DeliveryDetailView,
  DeliveryView,
  WebhookView,
} from "@/lib/schemas/webhooks";
import { apiFetch, apiSend } from "../../api-client";
import { queryKeys } from "../../data/query-keys";

// The webhooks admin's reads and writes over /api/v1/webhooks; every write refreshes the lists.

const base = (id: string) => `/api/v1/webhooks/${encodeURIComponent(id)}`;

export function useWebhooks() {
  return useQuery({
    queryKey: queryKeys.webhooks,
    queryFn: () => apiFetch<{ webhooks: WebhookView[] }>("/api/v1/webhooks").then((r) => r.webhooks),
  });
}

/** The newest deliveries of one subscription, refreshed every few seconds while shown. */
export function useDeliveries(webhookId: string) {
  return useQuery({
    queryKey: queryKeys.webhookDeliveries(webhookId),
    queryFn: () =>
      apiFetch<{ deliveries: DeliveryView[] }>(`${base(webhookId)}/deliveries?limit=25`).then(
        (r) => r.deliveries,
      ),
    refetchInterval: 5_000,
  });
}

export function useDeliveryDetail(webhookId: string, deliveryId: string) {
  return useQuery({
    queryKey: queryKeys.webhookDelivery(webhookId, deliveryId),
    queryFn: () =>
      apiFetch<{ delivery: DeliveryDetailView }>(
        `${base(webhookId)}/deliveries/${encodeURIComponent(deliveryId)}`,
      ).then((r) => r.delivery),
  });
}

function useWebhookMutation<I, O>(fn: (input: I) => Promise<O>, onDone?: (output: O) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (output) => onDone?.(output),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.webhooks }),
  });
}

export interface NewWebhook {
  url: string;
  name: string;
  event_types: string[];
}

export type Created = { webhook: WebhookView; secret: string };

export const useCreateWebhook = (onCreated: (created: Created) => void) =>
  useWebhookMutation((input: NewWebhook) => apiSend<Created>("/api/v1/webhooks", input), onCreated);

export const useSetEnabled = () =>
  useWebhookMutation(({ id, enabled }: { id: string; enabled: boolean }) =>
    apiSend(base(id), { enabled }, "PATCH"),
  );

export const useDeleteWebhook = () =>
  useWebhookMutation((id: string) => apiSend(base(id), undefined, "DELETE"));

export const useSendTest = (onSent: (delivery: DeliveryView) => void) =>
  useWebhookMutation(
    (id: string) => apiSend<{ delivery: DeliveryView }>(`${base(id)}/test`).then((r) => r.delivery),
    onSent,
  );

export const useResend = (onResent: (attempt: DeliveryAttemptView | null) => void) =>
  useWebhookMutation(
    ({ webhookId, deliveryId }: { webhookId: string; deliveryId: string }) =>
      apiSend<{ attempt: DeliveryAttemptView | null }>(
        `${base(webhookId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
      ).then((r) => r.attempt),
    onResent,
  );

/** "HTTP 200", or the error when no answer came. */
export function outcomeText(statusCode: number | null, error: string | null): string {
  if (statusCode !== null) return `HTTP ${statusCode}`;
  return error ?? "—";
}
