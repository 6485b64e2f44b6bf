"use client";

import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useTranslations } from "next-intl";
import type { WaitingTaskView } from "../data/types";
import { IntentLink } from "../shell/intent-link";
import { queueSlaMs } from "../time/sla";
import { SlaCountdown } from "../time/sla-countdown";
import { GripIcon } from "../ui/icons";

interface ItemProps {
  task: WaitingTaskView;
  queue: string;
}

/** What a waiting task shows, dragged or not. */
export function WaitingItemBody({ task, queue }: ItemProps) {
  const t = useTranslations("queuesPage");
  return (
    <div className="min-w-0 flex-1">
      <div className="flex items-center justify-between gap-2 text-xs text-slate-600 dark:text-slate-400">
        <span className="font-mono">
          #{task.position + 1} {task.id}
        </span>
        <span className="font-semibold">
          <span className="sr-only">{t("priority")}</span>
          {task.priority_score}
        </span>
      </div>
      <IntentLink href={`/tasks/${task.id}`} className="block truncate text-sm font-medium hover:underline">
        {task.title}
      </IntentLink>
      <div className="mt-1 flex flex-wrap items-center gap-2 text-xs">
        <SlaCountdown deadline={task.sla_deadline} totalMs={queueSlaMs(queue)} />
        {!task.blockers_done && (
          <span className="text-amber-800 dark:text-amber-300">{t("waitsOnBlockers")}</span>
        )}
      </div>
    </div>
  );
}

const itemClass =
  "flex items-start gap-2 rounded-md border border-slate-200 bg-white p-2 shadow-sm dark:border-slate-700 dark:bg-slate-900";

/** A waiting task an operator can drag (pointer or keyboard: focus the handle, Space, arrows, Space). */
export function SortableWaitingItem({ task, queue }: ItemProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } =
    useSortable({ id: task.id, data: { queue } });
  const t = useTranslations("queuesPage");
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={`${itemClass} ${isDragging ? "opacity-40" : ""}`}
      data-testid="waiting-task"
      data-task-id={task.id}
    >
      <button
        type="button"
        ref={setActivatorNodeRef}
        {...attributes}
        {...listeners}
        className="mt-0.5 cursor-grab touch-none rounded px-1 text-slate-500 hover:bg-slate-100 active:cursor-grabbing dark:text-slate-400 dark:hover:bg-slate-800"
        aria-label={t("move", { task: `${task.id} ${task.title}` })}
        data-testid="drag-handle"
      >
        <GripIcon className="h-4 w-4" />
      </button>
      <WaitingItemBody task={task} queue={queue} />
    </li>
  );
}

export function StaticWaitingItem({ task, queue }: ItemProps) {
  return (
    <li className={itemClass} data-testid="waiting-task" data-task-id={task.id}>
      <WaitingItemBody task={task} queue={queue} />
    </li>
  );
}

export function DraggedWaitingItem({ task, queue }: ItemProps) {
  return (
    <div className={`${itemClass} cursor-grabbing shadow-lg ring-2 ring-sky-500`}>
      <GripIcon className="mt-0.5 h-4 w-4 text-slate-500" />
      <WaitingItemBody task={task} queue={queue} />
    </div>
  );
}
