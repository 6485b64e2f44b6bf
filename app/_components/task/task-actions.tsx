"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { QUEUE_NAMES } from "@/lib/queues";
import type { SeedTask } from "@/lib/seed-format";
import { isTerminal, type TaskStateName } from "@/lib/states";
import { isRevertible, REVERT_ROLES, type TransitionRule, transitionsFrom } from "@/lib/transitions";
import { useCan, useSession } from "../session/session-context";
import { useQueueLabel } from "../ui/labels";
import { ErrorMessage } from "../ui/page";
import { ReasonDialog } from "../ui/reason-dialog";
import { useStateLabel } from "../ui/state-badge";
import { type TaskCommand, useCommandErrorMessage, useTaskCommand } from "./use-task-command";

/** Transitions that need a reason before they are taken. */
const NEEDS_REASON: readonly TaskStateName[] = ["BLOCKED", "CANCELLED"];

interface Prompt {
  title: string;
  prompt: string;
  confirm: string;
  required: boolean;
  danger: boolean;
  command: (reason: string) => TaskCommand;
}

/**
 * The actions this person may take on the task, and no others: the transitions the table allows
 * their role from the current state, revert, and (with tasks:reorder) priority and queue.
 */
export function TaskActions({ task }: { task: SeedTask }) {
  const { actorRole } = useSession();
  const t = useTranslations("task");
  const tr = useTranslations("transitions");
  const stateLabel = useStateLabel();
  const commandErrorMessage = useCommandErrorMessage();
  const canTransition = useCan("tasks:transition") && actorRole !== null;
  const canReorder = useCan("tasks:reorder");
  const command = useTaskCommand(task.id);
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const version = task.metadata.version;
  const state = task.state.current;

  const transitions = canTransition && actorRole ? transitionsFrom(state, actorRole) : [];
  const previous = task.state.previous;
  const canRevert =
    canTransition &&
    actorRole !== null &&
    REVERT_ROLES.includes(actorRole) &&
    previous !== null &&
    isRevertible(previous, state);
  const showPriority = canReorder && !isTerminal(state);
  if (transitions.length === 0 && !canRevert && !showPriority) return null;

  const send = (c: TaskCommand) => command.mutate(c);

  function take(rule: TransitionRule) {
    const transition = (reason: string) => ({
      path: "/transition",
      body: { to: rule.to, expected_version: version, ...(reason ? { reason } : {}) },
    });
    if (NEEDS_REASON.includes(rule.to)) {
      setPrompt({
        title: `${tr(rule.label as "Block")} ${task.id}`,
        prompt: rule.to === "BLOCKED" ? t("blockedOn") : t("whyCancel"),
        confirm: rule.to === "CANCELLED" ? t("cancelTask") : tr(rule.label as "Block"),
        required: true,
        danger: rule.to === "CANCELLED",
        command: transition,
      });
    } else send(transition(""));
  }

  return (
    <section
      aria-labelledby="actions-title"
      className="panel flex flex-col gap-3 p-4"
      data-testid="task-actions"
    >
      <h2 id="actions-title" className="text-sm font-semibold">
        {t("actions")}
      </h2>
      {(transitions.length > 0 || canRevert) && (
        <div className="flex flex-wrap gap-2">
          {transitions.map((rule) => (
            <button
              key={rule.to}
              type="button"
              className={rule.to === "CANCELLED" ? "btn-danger" : "btn-secondary"}
              disabled={command.isPending}
              onClick={() => take(rule)}
              data-testid={`transition-${rule.to}`}
            >
              {tr(rule.label as "Block")}
            </button>
          ))}
          {canRevert && (
            <button
              type="button"
              className="btn-secondary"
              disabled={command.isPending}
              onClick={() =>
                setPrompt({
                  title: t("revertTitle", { previous: stateLabel(previous), state: stateLabel(state) }),
                  prompt: t("revertWhy", { state: stateLabel(state) }),
                  confirm: t("revertTo", { previous: stateLabel(previous) }),
                  required: true,
                  danger: false,
                  command: (reason) => ({ path: "/revert", body: { reason, expected_version: version } }),
                })
              }
            >
              {t("revertTo", { previous: stateLabel(previous) })}
            </button>
          )}
        </div>
      )}
      {showPriority && (
        <PriorityActions
          key={`${task.priority.score}-${task.queue.name}`}
          task={task}
          send={send}
          pending={command.isPending}
        />
      )}
      {command.error && <ErrorMessage>{commandErrorMessage(command.error)}</ErrorMessage>}
      <ReasonDialog
        open={prompt !== null}
        title={prompt?.title ?? ""}
        prompt={prompt?.prompt ?? ""}
        confirmLabel={prompt?.confirm ?? ""}
        required={prompt?.required}
        danger={prompt?.danger}
        onClose={() => setPrompt(null)}
        onConfirm={(reason) => {
          if (prompt) send(prompt.command(reason));
          setPrompt(null);
        }}
      />
    </section>
  );
}

function PriorityActions({
  task,
  send,
  pending,
}: {
  task: SeedTask;
  send: (c: TaskCommand) => void;
  pending: boolean;
}) {
  const t = useTranslations("task");
  const queueLabel = useQueueLabel();
  const [score, setScore] = useState(String(task.priority.score));
  const [queue, setQueue] = useState<string>(task.queue.name);
  const [scheduledFor, setScheduledFor] = useState("");
  const version = task.metadata.version;
  return (
    <div className="flex flex-wrap items-end gap-3 border-t border-slate-200 pt-3 dark:border-slate-800">
      <button
        type="button"
        className="btn-secondary"
        disabled={pending}
        onClick={() => send({ path: "/bump", body: { expected_version: version } })}
      >
        {t("bump")}
      </button>
      <form
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          send({ path: "/score", body: { score: Number(score), expected_version: version } });
        }}
      >
        <label className="flex flex-col gap-1">
          <span className="label">{t("score")}</span>
          <input
            type="number"
            min={0}
            max={100}
            value={score}
            onChange={(e) => setScore(e.target.value)}
            className="input w-24"
          />
        </label>
        <button type="submit" className="btn-secondary" disabled={pending}>
          {t("setScore")}
        </button>
      </form>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          send({
            path: "/move",
            body: {
              queue,
              expected_version: version,
              ...(queue === "scheduled" && scheduledFor
                ? { scheduled_for: new Date(scheduledFor).toISOString() }
                : {}),
            },
          });
        }}
      >
        <label className="flex flex-col gap-1">
          <span className="label">{t("queue")}</span>
          <select value={queue} onChange={(e) => setQueue(e.target.value)} className="input w-40">
            {QUEUE_NAMES.map((q) => (
              <option key={q} value={q}>
                {queueLabel(q)}
              </option>
            ))}
          </select>
        </label>
        {queue === "scheduled" && (
          <label className="flex flex-col gap-1">
            <span className="label">{t("plannedFor")}</span>
            <input
              type="datetime-local"
              value={scheduledFor}
              onChange={(e) => setScheduledFor(e.target.value)}
              className="input"
            />
          </label>
        )}
        <button type="submit" className="btn-secondary" disabled={pending || queue === task.queue.name}>
          {t("move")}
        </button>
      </form>
    </div>
  );
}
