"use client";

import { useTranslations } from "next-intl";
import { isQueueName } from "@/lib/queues";

/** A queue's name in the reader's language (messages: queues.*); an unknown name as it is. */
export function useQueueLabel(): (queue: string) => string {
  const t = useTranslations("queues");
  return (queue) => (isQueueName(queue) ? t(queue) : queue);
}
