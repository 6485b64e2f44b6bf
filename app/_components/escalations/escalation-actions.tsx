"use client";

import { type FormEvent, useState } from "react";
import {
  ACTION_LABELS,
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
import { ErrorMessage, Notice } from "../ui/page";
import { ReasonDialog } from "../ui/reason-dialog";
import { actionErrorMessage, useEscalationAction } from "./use-escalation";

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
      {ACTION_LABELS[a]}
    </button>
  );

  const task = escalation.escalation.task_id;
  const buttons = ordered.flatMap((a) => {
    switch (a) {
      case "acknowledge":
        return [simple(a, { action: "acknowledge" }, "Acknowledged: it is yours now.")];
      case "retry":
        return [simple(a, { action: "retry" }, `${task} is retried; the escalation is resolved.`)];
      case "unblock":
        return [simple(a, { action: "unblock" }, `${task} is unblocked; the escalation is resolved.`)];
      case "cancel":
        return [
          <button
            key={a}
            type="button"
            className="btn-danger"
            disabled={action.isPending}
            onClick={() => setDialog("cancel")}
          >
            {ACTION_LABELS[a]}
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
            Resolve with a note
          </button>,
        ];
      default:
        return [];
    }
  });

  return (
    <section aria-labelledby="esc-actions" className="flex flex-col gap-3" data-testid="escalation-actions">
      <h3 id="esc-actions" className="text-sm font-semibold">
        Act
      </h3>
      <div className="flex flex-wrap gap-2">
        {buttons}
        <button
          type="button"
          className="btn-secondary"
          disabled={action.isPending}
          onClick={() => run({ action: "assign", assignee: ASSIGN_TO_ME }, "Assigned to you.")}
        >
          Assign to me
        </button>
      </div>
      <div className="flex flex-wrap items-end gap-4">
        <form
          className="flex items-end gap-2"
          onSubmit={(e) =>
            onForm(e, { action: "assign", assignee: assignee.trim() }, `Assigned to ${assignee.trim()}.`)
          }
        >
          <label className="flex flex-col gap-1">
            <span className="label">Assign to (email)</span>
            <input
              type="email"
              value={assignee}
              onChange={(e) => setAssignee(e.target.value)}
              className="input w-56"
              aria-invalid={fieldMessage(fields, "assignee") ? true : undefined}
            />
          </label>
          <button type="submit" className="btn-secondary" disabled={action.isPending || !assignee.trim()}>
            Assign
          </button>
        </form>
        {available("set_priority", escalation) && (
          <form
            className="flex items-end gap-2"
            onSubmit={(e) =>
              onForm(
                e,
                { action: "set_priority", score: Number(score) },
                `${task}'s priority is now ${score}.`,
              )
            }
          >
            <label className="flex flex-col gap-1">
              <span className="label">Priority (0-100)</span>
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
              {ACTION_LABELS.set_priority}
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
                `${task} moved to ${queue}; its SLA restarts.`,
              )
            }
          >
            <label className="flex flex-col gap-1">
              <span className="label">Queue</span>
              <select value={queue} onChange={(e) => setQueue(e.target.value)} className="input w-40">
                {QUEUE_NAMES.filter((q) => q !== "scheduled").map((q) => (
                  <option key={q} value={q}>
                    {q}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="submit"
              className="btn-secondary"
              disabled={action.isPending || queue === escalation.task.queue}
            >
              Move
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
        title={`Cancel ${task}`}
        prompt="Why cancel the task? (its dependents will be escalated)"
        confirmLabel="Cancel the task"
        required
        danger
        onClose={() => setDialog(null)}
        onConfirm={(text) => {
          setDialog(null);
          run({ action: "cancel", reason: text }, `${task} is cancelled; the escalation is resolved.`);
        }}
      />
      <ReasonDialog
        open={dialog === "resolve"}
        title="Resolve the escalation"
        prompt="What was done? (kept as its resolution)"
        confirmLabel="Resolve"
        required
        onClose={() => setDialog(null)}
        onConfirm={(note) => {
          setDialog(null);
          run({ action: "resolve", note }, "Resolved.");
        }}
      />
    </section>
  );
}
