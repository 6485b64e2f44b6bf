"use client";

import { useTranslations } from "next-intl";
import type { DeliveryStatus } from "@/lib/schemas/webhooks";

const TONE: Record<DeliveryStatus, string> = {
  succeeded: "text-emerald-800 dark:text-emerald-300",
  pending: "text-amber-800 dark:text-amber-300",
  failed: "text-red-700 dark:text-red-300",
};

/** A delivery's status in words and colour (the words carry it; the colour helps). */
export function DeliveryStatusText({ status }: { status: DeliveryStatus }) {
  const t = useTranslations("admin.hooks.deliveryStatus");
  return <span className={`font-medium ${TONE[status]}`}>{t(status)}</span>;
}

/** An attempt's outcome: a 2xx in green, anything else (another code, no answer) in red. */
export function OutcomeText({ statusCode, text }: { statusCode: number | null; text: string }) {
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  return <span className={ok ? TONE.succeeded : TONE.failed}>{text}</span>;
}
