"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { useEscalations } from "../data/use-escalations";
import { useBrowserValue } from "../hooks/use-browser-value";
import { useSession } from "../session/session-context";

const STORAGE_KEY = "orchestrator.escalation-notifications";
const HIGH = new Set(["critical", "high"]);

const notificationsSupported = () => "Notification" in window;

/**
 * Optional browser notifications (the person opts in; the browser asks permission): a new
 * escalation of high or critical urgency whose current level is this person — their role's
 * team, or them by name — shows a system notification. What was open when the page loaded is
 * not announced again.
 */
export function EscalationNotifier() {
  const { role, name } = useSession();
  const t = useTranslations("escalations.outlook");
  const urgencyLabel = useTranslations("urgency");
  const [enabled, setEnabled] = useState(false);
  const seen = useRef<Set<string> | null>(null);
  const list = useEscalations({ status: "OPEN" });
  const supported = useBrowserValue(notificationsSupported, false);

  useEffect(() => {
    setEnabled(
      supported && localStorage.getItem(STORAGE_KEY) === "1" && Notification.permission === "granted",
    );
  }, [supported]);

  useEffect(() => {
    const rows = list.data?.escalations;
    if (!rows) return;
    const mine = rows.filter(
      (e) =>
        HIGH.has(e.escalation.urgency) &&
        // A team, or people: "user:<email>", several comma-separated (a client's account managers).
        (e.escalation.escalated_to === role || e.escalation.escalated_to.split(",").includes(`user:${name}`)),
    );
    if (seen.current === null) {
      seen.current = new Set(mine.map((e) => e.id));
      return;
    }
    for (const e of mine) {
      if (seen.current.has(e.id)) continue;
      seen.current.add(e.id);
      if (enabled && document.visibilityState !== "visible")
        new Notification(t("notifyTitle", { urgency: urgencyLabel(e.escalation.urgency as "high") }), {
          body: `${e.escalation.task_id} — ${e.task.title}`,
          tag: e.id,
        });
    }
  }, [list.data, enabled, role, name, t, urgencyLabel]);

  if (!supported || (role !== "account_manager" && role !== "operator" && role !== "admin")) return null;
  return (
    <button
      type="button"
      className="btn-secondary text-xs"
      aria-pressed={enabled}
      data-testid="escalation-notify"
      onClick={async () => {
        if (enabled) {
          localStorage.removeItem(STORAGE_KEY);
          setEnabled(false);
          return;
        }
        const permission = await Notification.requestPermission();
        if (permission === "granted") localStorage.setItem(STORAGE_KEY, "1");
        setEnabled(permission === "granted");
      }}
    >
      {enabled ? t("notifyOff") : t("notifyOn")}
    </button>
  );
}
