"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import {
  ASSIGN_TO_ME,
  ESCALATION_ACTIONS,
  type EscalationAction,
  type EscalationView,
  isEscalationReason,
  PRIMARY_ACTIONS,
} from "@/lib/escalations";
import { QUEUE_NAMES } from "@/lib/queues";
import type { EscalationActionInput } from "@/lib/schemas/escalations";
import { ApiError } from "../api-client";
import { fieldMessage } from "../ui/field";
import { useQueueLabel } from "../ui/labels";
import { ErrorMessage, Notice } from "../ui/page";
import { ReasonDialog } from "../ui/reason-dialog";
import { useActionErrorMessage, useEscalationAction } from "./use-escalation";

/** Whether an action makes sense now: the task must be in the state the action starts from. */
function available(action: EscalationAction, e: EscalationView): boolean {
  const state = e.task.state;
  const live = state !== "COMPLETED" && state !== "CANCELLED";
  switch (action) {
    case "acknowledge":
      return e.status === "OPEN";
    case "retry":
      return state === "FAILED";
    case "unblock":
      return state === "BLOCKED";
    case "set_priority":
    case "move_queue":
    case "cancel":
      return live;
    default:
      return true;
  }
}

/** The actions of the inbox, the reason's primary ones first; each says what it did. */
export function EscalationActions({ escalation }: { escalation: EscalationView }) {
  const action = useEscalationAction(escalation);
  const t = useTranslations("escalations");
  const queueLabel = useQueueLabel();
  const actionErrorMessage = useActionErrorMessage();
  const [dialog, setDialog] = useState<"cancel" | "resolve" | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [assignee, setAssignee] = useState("");
  const [score, setScore] = useState("");
  const [queue, setQueue] = useState<string>(escalation.task.queue);
  const reason = escalation.escalation.reason;
  const primary = isEscalationReason(reason) ? PRIMARY_ACTIONS[reason] : [];
  const ordered = [...primary, ...ESCALATION_ACTIONS.filter((a) => !primary.includes(a))].filter((a) =>
    available(a, escalation),
  );
  const fields = action.error instanceof ApiError ? action.error.fields : [];

  function run(input: EscalationActionInput, what: string) {
    setDone(null);
    action.mutate(input, { onSuccess: () => setDone(what) });
  }

  function onForm(event: FormEvent, input: EscalationActionInput, what: string) {
    event.preventDefault();
    run(input, what);
  }

  const simple = (a: EscalationAction, input: EscalationActionInput, what: string) => (
    <button
      key={a}
      type="button"
      className={primary.includes(a) ? "btn-primary" : "btn-secondary"}
      disabled={action.isPending}
      onClick={() => run(input, what)}
    >
      {t(`actions.${a}`)}
    </button>
  );

  const task = escalation.escalation.task_id;
  const buttons = ordered.flatMap((a) => {
    switch (a) {
      case "acknowledge":
        return [simple(a, { action: "acknowledge" }, t("done.acknowledged"))];
      case "retry":
        return [simple(a, { action: "retry" }, t("done.retried", { task }))];
      case "unblock":
        return [simple(a, { action: "unblock" }, t("done.unblocked", { task }))];
      case "cancel":
        return [
          <button
            key={a}
            type="button"
            className="btn-danger"
            disabled={action.isPending}
            onClick={() => setDialog("cancel")}
          >
            {t(`actions.${a}`)}
          </button>,
        ];
      case "resolve":
        return [
          <button
            key={a}
            type="button"
            className={primary.includes(a) ? "btn-primary" : "btn-secondary"}
            disabled={action.isPending}
            onClick={() => setDialog("resolve")}
          >
            {t("resolveWithNote")}
          </button>,
        ];
      default:
        return [];
    }
  });

  return (
    <section aria-labelledby="esc-actions" className="flex flex-col gap-3" data-testid="escalation-actions">
      <h3 id="esc-actions" className="text-sm font-semibold">
        {t("act")}
      </h3>
      <div className="flex flex-wrap gap-2">
        {buttons}
        <button
          type="button"
          className="btn-secondary"
          disabled={action.isPending}
          onClick={() => run({ action: "assign", assignee: ASSIGN_TO_ME }, t("done.assignedToYou"))}
        >
          {t("assignToMe")}
        </button>
      </div>
      <div className="flex flex-wrap items-end gap-4">
        <form
          className="flex items-end gap-2"
          onSubmit={(e) =>
            onForm(
              e,
              { action: "assign", assignee: assignee.trim() },
              t("done.assignedTo", { who: assignee.trim() }),
            )
          }
        >
          <label className="flex flex-col gap-1">
            <span className="label">{t("assignTo")}</span>
            <input
              type="email"
              value={assignee}
              onChange={(e) => setAssignee(e.target.value)}
              className="input w-56"
              aria-invalid={fieldMessage(fields, "assignee") ? true : undefined}
            />
          </label>
          <button type="submit" className="btn-secondary" disabled={action.isPending || !assignee.trim()}>
            {t("assign")}
          </button>
        </form>
        {available("set_priority", escalation) && (
          <form
            className="flex items-end gap-2"
            onSubmit={(e) =>
              onForm(e, { action: "set_priority", score: Number(score) }, t("done.priority", { task, score }))
            }
          >
            <label className="flex flex-col gap-1">
              <span className="label">{t("priority")}</span>
              <input
                type="number"
                min={0}
                max={100}
                value={score}
                onChange={(e) => setScore(e.target.value)}
                className="input w-24"
              />
            </label>
            <button type="submit" className="btn-secondary" disabled={action.isPending || score === ""}>
              {t("actions.set_priority")}
            </button>
          </form>
        )}
        {available("move_queue", escalation) && (
          <form
            className="flex items-end gap-2"
            onSubmit={(e) =>
              onForm(
                e,
                { action: "move_queue", queue: queue as (typeof QUEUE_NAMES)[number] },
                t("done.moved", { task, queue: queueLabel(queue) }),
              )
            }
          >
            <label className="flex flex-col gap-1">
              <span className="label">{t("queue")}</span>
              <select value={queue} onChange={(e) => setQueue(e.target.value)} className="input w-40">
                {QUEUE_NAMES.filter((q) => q !== "scheduled").map((q) => (
                  <option key={q} value={q}>
                    {queueLabel(q)}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="submit"
              className="btn-secondary"
              disabled={action.isPending || queue === escalation.task.queue}
            >
              {t("move")}
            </button>
          </form>
        )}
      </div>
      {action.error && (
        <ErrorMessage>
          {fields.length > 0 ? fields.map((f) => f.message).join("; ") : actionErrorMessage(action.error)}
        </ErrorMessage>
      )}
      {done && !action.error && <Notice>{done}</Notice>}
      <ReasonDialog
        open={dialog === "cancel"}
        title={t("cancelTitle", { task })}
        prompt={t("cancelPrompt")}
        confirmLabel={t("cancelConfirm")}
        required
        danger
        onClose={() => setDialog(null)}
        onConfirm={(text) => {
          setDialog(null);
          run({ action: "cancel", reason: text }, t("done.cancelled", { task }));
        }}
      />
      <ReasonDialog
        open={dialog === "resolve"}
        title={t("resolveTitle")}
        prompt={t("resolvePrompt")}
        confirmLabel={t("resolveConfirm")}
        required
        onClose={() => setDialog(null)}
        onConfirm={(note) => {
          setDialog(null);
          run({ action: "resolve", note }, t("done.resolved"));
        }}
      />
    </section>
  );
}
