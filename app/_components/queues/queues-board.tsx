"use client";

import {
  type Announcements,
  type CollisionDetection,
  closestCorners,
  DndContext,
  type DragEndEvent,
  DragOverlay,
  type DragStartEvent,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { sortableKeyboardCoordinates } from "@dnd-kit/sortable";
import { useQueries, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { queryKeys } from "../data/query-keys";
import type { WaitingTaskView } from "../data/types";
import { fetchQueueTasks, useQueueStats } from "../data/use-queues";
import { useCan } from "../session/session-context";
import { useQueueLabel } from "../ui/labels";
import { ErrorMessage, Loading } from "../ui/page";
import { QueueLane, WAITING_PAGE } from "./queue-lane";
import { useQueueChanges } from "./use-queue-changes";
import { DraggedWaitingItem } from "./waiting-item";

interface Drop {
  queue: string;
  /** Index in the target list, or null when dropped on the lane itself (the end). */
  index: number | null;
}

type DroppableData = { lane?: boolean; queue?: string; sortable?: { containerId: string } } | undefined;
const dataOf = (c: { data: { current?: unknown } }) => c.data.current as DroppableData;

/**
 * A task beats the lane around it: under the pointer, the task hit; over a lane's empty space
 * (or by keyboard, landing on a lane), the lane's closest task — so a drop always has a place.
 */
const collisions: CollisionDetection = (args) => {
  const under = pointerWithin(args);
  const hits = under.length > 0 ? under : closestCorners(args);
  const task = hits.find((hit) => {
    const container = args.droppableContainers.find((c) => c.id === hit.id);
    return container && !dataOf(container)?.lane;
  });
  if (task) return [task];
  const lane = hits[0] ? args.droppableContainers.find((c) => c.id === hits[0]!.id) : undefined;
  if (!lane) return hits;
  const queue = dataOf(lane)?.queue;
  const inLane = args.droppableContainers.filter((c) => dataOf(c)?.sortable?.containerId === queue);
  return inLane.length > 0 ? closestCorners({ ...args, droppableContainers: inLane }) : hits;
};

function dropTarget(over: DragEndEvent["over"]): Drop | null {
  const data = over?.data.current as
    | { queue?: string; sortable?: { containerId: string; index: number } }
    | undefined;
  if (!data) return null;
  if (data.sortable) return { queue: String(data.sortable.containerId), index: data.sortable.index };
  return data.queue ? { queue: data.queue, index: null } : null;
}

/** The queues side by side: gauges and waiting lists, reordered and moved by drag-and-drop. */
export function QueuesBoard() {
  const stats = useQueueStats();
  const t = useTranslations("queuesPage");
  const tc = useTranslations("common");
  const queueLabel = useQueueLabel();
  const canReorder = useCan("tasks:reorder");
  const names: string[] = stats.data?.queues.map((q) => q.name) ?? [];
  // Each lane reads the head of its waiting list (WAITING_PAGE); "Show more" reads the next page
  // after the lane's last task (keyset) and appends it. A live refetch reads the head again, as
  // long as what is shown.
  const [shown, setShown] = useState<Record<string, number>>({});
  const shownOf = (name: string) => shown[name] ?? WAITING_PAGE;
  const lists = useQueries({
    queries: names.map((name) => ({
      queryKey: queryKeys.queueTasks(name),
      queryFn: () => fetchQueueTasks(name, shownOf(name)),
    })),
  });
  const queryClient = useQueryClient();
  const showMore = async (name: string) => {
    const key = queryKeys.queueTasks(name);
    const loaded = queryClient.getQueryData<WaitingTaskView[]>(key) ?? [];
    const last = loaded[loaded.length - 1];
    setShown((current) => ({ ...current, [name]: loaded.length + WAITING_PAGE }));
    try {
      const page = await fetchQueueTasks(name, WAITING_PAGE, last?.id);
      queryClient.setQueryData<WaitingTaskView[]>(key, (current = []) => {
        const seen = new Set(current.map((t) => t.id));
        return [...current, ...page.filter((t) => !seen.has(t.id))];
      });
    } catch {
      // the last task left the list meanwhile: read the head again, as long as asked
      void queryClient.refetchQueries({ queryKey: key, exact: true });
    }
  };
  const { reorder, move, message, dismiss } = useQueueChanges();
  const [dragged, setDragged] = useState<{ task: WaitingTaskView; queue: string } | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  if (stats.isPending) return <Loading what={t("loading")} />;
  if (stats.error)
    return (
      <ErrorMessage>{tc("couldNotLoad", { what: t("what"), message: stats.error.message })}</ErrorMessage>
    );

  const listOf = (queue: string) => lists[names.indexOf(queue)]?.data ?? [];
  const titleOf = (id: string | number) => {
    for (const name of names) {
      const task = listOf(name).find((t) => t.id === id);
      if (task) return `${task.id} ${task.title}`;
    }
    return String(id);
  };
  const place = (over: DragEndEvent["over"]) => {
    const target = dropTarget(over);
    if (!target) return t("outside");
    return t("place", {
      queue: queueLabel(target.queue),
      position: (target.index ?? listOf(target.queue).length) + 1,
    });
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => t("pickedUp", { task: titleOf(active.id) }),
    onDragOver: ({ active, over }) => t("over", { task: titleOf(active.id), place: place(over) }),
    onDragEnd: ({ active, over }) => t("dropped", { task: titleOf(active.id), place: place(over) }),
    onDragCancel: ({ active }) => t("cancelled", { task: titleOf(active.id) }),
  };

  function onDragStart({ active }: DragStartEvent) {
    const queue = (active.data.current as { queue: string }).queue;
    const task = listOf(queue).find((t) => t.id === active.id);
    setDragged(task ? { task, queue } : null);
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    setDragged(null);
    const from = (active.data.current as { queue: string; sortable: { index: number } } | undefined) ?? null;
    const target = dropTarget(over);
    if (!from || !target) return;
    const fromIndex = from.sortable.index;
    if (target.queue === from.queue) {
      const to = target.index ?? listOf(from.queue).length - 1;
      if (to !== fromIndex) void reorder(from.queue, fromIndex, to);
    } else {
      void move(from.queue, target.queue, String(active.id), target.index ?? listOf(target.queue).length);
    }
  }

  return (
    <>
      {message && (
        <div className="mx-4 mb-2 flex items-start gap-2" data-testid="queue-message">
          <ErrorMessage>{message}</ErrorMessage>
          <button type="button" className="btn-ghost" onClick={dismiss}>
            {t("dismiss")}
          </button>
        </div>
      )}
      <DndContext
        sensors={sensors}
        collisionDetection={collisions}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragged(null)}
        accessibility={{
          announcements,
          screenReaderInstructions: {
            draggable: t("instructions"),
          },
        }}
      >
        <div className="flex items-start gap-3 overflow-x-auto px-4 pb-4">
          {stats.data.queues.map((queue, i) => (
            <QueueLane
              key={queue.name}
              stats={queue}
              tasks={lists[i]?.data}
              shown={shownOf(queue.name)}
              onShowMore={() => void showMore(queue.name)}
              error={lists[i]?.error ?? null}
              sortable={canReorder}
            />
          ))}
        </div>
        <DragOverlay>
          {dragged ? <DraggedWaitingItem task={dragged.task} queue={dragged.queue} /> : null}
        </DragOverlay>
      </DndContext>
    </>
  );
}
