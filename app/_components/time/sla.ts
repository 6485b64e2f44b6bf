import { useTranslations } from "next-intl";
import { QUEUES } from "@/lib/queues";

// SLA levels by what is left (SPEC §5, sla-tracker): ok; under 25 % of the SLA left; under an
// hour left (imminent breach, the escalation threshold); breached.

export type SlaLevel = "ok" | "low" | "imminent" | "breached";

const HOUR_MS = 3_600_000;

export function slaLevel(deadlineMs: number, nowMs: number, totalMs: number | null): SlaLevel {
  const remaining = deadlineMs - nowMs;
  if (remaining <= 0) return "breached";
  if (remaining < HOUR_MS) return "imminent";
  if (totalMs !== null && totalMs > 0 && remaining < totalMs * 0.25) return "low";
  return "ok";
}

/** The queue's SLA length in ms (null for backlog and scheduled, whose deadline is a date). */
export function queueSlaMs(queue: string): number | null {
  const minutes = QUEUES.find((q) => q.name === queue)?.slaMinutes;
  return minutes ? minutes * 60_000 : null;
}

/** "2 h 05 min", "12 min 04 s", "45 s"; the absolute value of `ms`. */
/** "2 d 03 h", "1 h 05 min", "4 min 09 s"; `dayUnit` is "j" in French. */
export function formatDuration(ms: number, dayUnit = "d"): string {
  const total = Math.floor(Math.abs(ms) / 1_000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3_600);
  const minutes = Math.floor((total % 3_600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (days > 0) return `${days} ${dayUnit} ${pad(hours)} h`;
  if (hours > 0) return `${hours} h ${pad(minutes)} min`;
  if (minutes > 0) return `${minutes} min ${pad(seconds)} s`;
  return `${seconds} s`;
}

/** formatDuration in the reader's language. */
export function useDuration(): (ms: number) => string {
  const t = useTranslations("units");
  return (ms) => formatDuration(ms, t("day"));
}
