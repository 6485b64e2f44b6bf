"use client";

import { useTranslations } from "next-intl";
import { type EscalationView, isEscalationReason, RESPONSE_TIME_MS } from "@/lib/escalations";
import { SlaCountdown } from "../time/sla-countdown";
import { UrgencyBadge } from "../ui/escalation-badge";
import { useQueueLabel } from "../ui/labels";

/** An escalation reason in the reader's language; an unknown reason as it is. */
export function useReasonLabel(): (reason: string) => string {
  const t = useTranslations("escalations.reasons");
  return (reason) => (isEscalationReason(reason) ? t(reason) : reason);
}

/**
 * Who an escalation is for, in the reader's language: a team ("account manager"), a person
 * ("user:alice@…" → "alice@…"), or several people (a client's account managers, comma-separated).
 */
export function useTargetLabel(): (target: string) => string {
  const t = useTranslations("escalations.targets");
  const one = (target: string) =>
    ["account_manager", "operator", "admin", "client_account_managers"].includes(target)
      ? t(target as "admin")
      : target.replace(/^user:/, "").replaceAll("_", " ");
  return (target) => target.split(",").map(one).join(", ");
}

export function responseTimeMs(urgency: string): number | null {
  return RESPONSE_TIME_MS[urgency as keyof typeof RESPONSE_TIME_MS] ?? null;
}

/** A storm: this many open escalations of one reason in one queue are shown (and handled) as a group. */
export const STORM_SIZE = 3;

type Block = { kind: "one"; e: EscalationView } | { kind: "storm"; key: string; items: EscalationView[] };

/** The rows in inbox order, each storm (same reason and queue, ≥ STORM_SIZE) folded where it first appears. */
export function groupStorms(escalations: EscalationView[]): Block[] {
  const keyOf = (e: EscalationView) => `${e.escalation.reason}|${e.task.queue}`;
  const sizes = new Map<string, EscalationView[]>();
  for (const e of escalations) sizes.set(keyOf(e), [...(sizes.get(keyOf(e)) ?? []), e]);
  const blocks: Block[] = [];
  const placed = new Set<string>();
  for (const e of escalations) {
    const key = keyOf(e);
    const group = sizes.get(key)!;
    if (group.length < STORM_SIZE) blocks.push({ kind: "one", e });
    else if (!placed.has(key)) {
      placed.add(key);
      blocks.push({ kind: "storm", key, items: group });
    }
  }
  return blocks;
}

function Item({
  e,
  selected,
  checked,
  onSelect,
  onToggle,
}: {
  e: EscalationView;
  selected: boolean;
  checked: boolean | null;
  onSelect: (id: string) => void;
  onToggle: (ids: string[], on: boolean) => void;
}) {
  const tr = useTranslations("escalations");
  const to = useTranslations("escalations.outlook");
  const reasonLabel = useReasonLabel();
  const targetLabel = useTargetLabel();
  return (
    <li className="flex min-w-0 items-start gap-2">
      {checked !== null && (
        <input
          type="checkbox"
          className="mt-4"
          aria-label={to("select", { task: e.escalation.task_id })}
          data-testid="escalation-select"
          checked={checked}
          onChange={(ev) => onToggle([e.id], ev.target.checked)}
        />
      )}
      <button
        type="button"
        onClick={() => onSelect(e.id)}
        aria-current={selected ? "true" : undefined}
        className={`flex w-full min-w-0 flex-col gap-1 rounded-md border p-3 text-left text-sm ${
          selected
            ? "border-sky-600 bg-sky-50 dark:border-sky-400 dark:bg-sky-950"
            : "border-slate-200 bg-white hover:border-sky-400 dark:border-slate-700 dark:bg-slate-900"
        }`}
        data-testid="escalation-item"
        data-escalation-id={e.id}
        data-task-id={e.escalation.task_id}
      >
        <span className="flex flex-wrap items-center gap-2">
          <UrgencyBadge urgency={e.escalation.urgency} />
          <span className="font-semibold">{reasonLabel(e.escalation.reason)}</span>
          <span className="muted text-xs">{tr(`status.${e.status}`)}</span>
        </span>
        <span className="truncate">
          <span className="font-mono text-xs">{e.escalation.task_id}</span> {e.task.title}
          {e.task.client_name && <span className="muted"> · {e.task.client_name}</span>}
        </span>
        <span className="flex flex-wrap items-center gap-2 text-xs">
          {e.status !== "RESOLVED" && (
            <SlaCountdown deadline={e.escalation.deadline} totalMs={responseTimeMs(e.escalation.urgency)} />
          )}
          <span className="muted">{tr("for", { target: targetLabel(e.escalation.escalated_to) })}</span>
          {e.assignee && <span className="muted">· {e.assignee}</span>}
        </span>
      </button>
    </li>
  );
}

/**
 * The inbox rows, most urgent first then soonest deadline; a row opens its escalation. With
 * `checked` (people who may act), rows can be selected for bulk actions, and storms — the same
 * reason in the same queue — are grouped under one header that selects them all.
 */
export function EscalationList({
  escalations,
  selectedId,
  onSelect,
  checked,
  onToggle = () => {},
}: {
  escalations: EscalationView[];
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  checked?: ReadonlySet<string>;
  onToggle?: (ids: string[], on: boolean) => void;
}) {
  const tr = useTranslations("escalations");
  const to = useTranslations("escalations.outlook");
  const reasonLabel = useReasonLabel();
  const queueLabel = useQueueLabel();
  if (escalations.length === 0) return <p className="muted p-4 text-sm">{tr("nothing")}</p>;
  const item = (e: EscalationView) => (
    <Item
      key={e.id}
      e={e}
      selected={e.id === selectedId}
      checked={checked ? checked.has(e.id) : null}
      onSelect={onSelect}
      onToggle={onToggle}
    />
  );
  return (
    <ul className="flex flex-col gap-2" data-testid="escalation-list">
      {groupStorms(escalations).map((block) =>
        block.kind === "one" ? (
          item(block.e)
        ) : (
          <li
            key={block.key}
            data-testid="escalation-storm"
            className="rounded-md border border-amber-500 p-2"
          >
            <div className="flex flex-wrap items-center justify-between gap-2 pb-2 text-sm font-semibold">
              <span>
                {to("storm", {
                  count: block.items.length,
                  reason: reasonLabel(block.items[0]!.escalation.reason),
                  queue: queueLabel(block.items[0]!.task.queue),
                })}
              </span>
              {checked && (
                <button
                  type="button"
                  className="btn-secondary"
                  onClick={() =>
                    onToggle(
                      block.items.map((e) => e.id),
                      true,
                    )
                  }
                >
                  {to("selectGroup", { count: block.items.length })}
                </button>
              )}
            </div>
            <ul className="flex flex-col gap-2">{block.items.map(item)}</ul>
          </li>
        ),
      )}
    </ul>
  );
}
