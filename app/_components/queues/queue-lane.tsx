"use client";

import { useDroppable } from "@dnd-kit/core";
import { SortableContext, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { useTranslations } from "next-intl";
import type { QueueStatsView, WaitingTaskView } from "../data/types";
import { useQueueLabel } from "../ui/labels";
import { ErrorMessage } from "../ui/page";
import { QueueGauge } from "./queue-gauge";
import { SortableWaitingItem, StaticWaitingItem } from "./waiting-item";

/** Waiting tasks a lane reads at first, and how many more each "Show more" reads. */
export const WAITING_PAGE = 50;

interface Props {
  stats: QueueStatsView;
  /** The head of the waiting list (the first `shown`). */
  tasks: WaitingTaskView[] | undefined;
  shown: number;
  onShowMore: () => void;
  error: Error | null;
  sortable: boolean;
}

/** One queue: its gauge, then its waiting list in dispatch order (drop target for other queues' tasks). */
export function QueueLane({ stats, tasks, shown, onShowMore, error, sortable }: Props) {
  const t = useTranslations("queuesPage");
  const tc = useTranslations("common");
  const queueLabel = useQueueLabel();
  const { setNodeRef, isOver } = useDroppable({
    id: `queue:${stats.name}`,
    data: { queue: stats.name, lane: true },
    disabled: !sortable,
  });
  const visible = tasks?.slice(0, shown) ?? [];
  const listId = `waiting-${stats.name}`;
  return (
    <section
      ref={setNodeRef}
      aria-labelledby={`${listId}-title`}
      className={`panel flex w-80 shrink-0 flex-col gap-3 p-3 ${isOver ? "ring-2 ring-sky-500" : ""}`}
      data-testid={`queue-lane-${stats.name}`}
    >
      <QueueGauge stats={stats} />
      <h3 id={`${listId}-title`} className="text-xs font-semibold tracking-wide uppercase muted">
        {t("waitingList")} <span className="sr-only">{t("of", { queue: queueLabel(stats.name) })}</span>
      </h3>
      {error && (
        <ErrorMessage>{tc("couldNotLoad", { what: t("listWhat"), message: error.message })}</ErrorMessage>
      )}
      {tasks && tasks.length === 0 && <p className="muted text-sm">{t("nobody")}</p>}
      <SortableContext
        id={stats.name}
        items={visible.map((t) => t.id)}
        strategy={verticalListSortingStrategy}
      >
        <ol className="flex min-h-8 flex-col gap-2" data-testid={`waiting-list-${stats.name}`}>
          {visible.map((task) =>
            sortable ? (
              <SortableWaitingItem key={task.id} task={task} queue={stats.name} />
            ) : (
              <StaticWaitingItem key={task.id} task={task} queue={stats.name} />
            ),
          )}
        </ol>
      </SortableContext>
      {tasks && stats.waiting > visible.length && (
        <button type="button" className="btn-secondary" onClick={onShowMore}>
          {t("showMore", {
            count: Math.min(WAITING_PAGE, stats.waiting - visible.length),
            rest: stats.waiting - visible.length,
          })}
        </button>
      )}
    </section>
  );
}
