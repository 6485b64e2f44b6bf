"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useCallback, useState } from "react";
import type { SeedTask } from "@/lib/seed-format";
import { ApiError, apiSend, errorMessage } from "../api-client";
import { queryKeys } from "../data/query-keys";
import type { WaitingTaskView } from "../data/types";
import { storeTask } from "../data/use-task";
import { moveAcross, moveWithin, neighbourOf } from "./queue-order";

const taskPath = (id: string, action: string) => `/api/v1/tasks/${encodeURIComponent(id)}/${action}`;

type Translate = ReturnType<typeof useTranslations<"queuesPage">>;

/** What the operator reads after a refused change: the order is back as the server has it. */
function refusal(t: Translate, task: WaitingTaskView, error: unknown): string {
  if (error instanceof ApiError && error.status === 409) {
    return t("conflict", { task: task.id, message: error.message });
  }
  return t("couldNotMove", { task: task.id, message: errorMessage(error) });
}

/**
 * Reorder within a queue and move across queues, optimistically: the lists change at once, the
 * server is asked, and on a refusal (409 conflict or any error) the lists are put back and a
 * message says why. Every other viewer sees the new order through the live layer.
 */
export function useQueueChanges() {
  const queryClient = useQueryClient();
  const t = useTranslations("queuesPage");
  const [message, setMessage] = useState<string | null>(null);

  const listOf = useCallback(
    (queue: string) => queryClient.getQueryData<WaitingTaskView[]>(queryKeys.queueTasks(queue)) ?? [],
    [queryClient],
  );

  /** Sets lists optimistically; returns how to put them back. */
  const replaceLists = useCallback(
    async (lists: Record<string, WaitingTaskView[]>) => {
      const held: Record<string, WaitingTaskView[] | undefined> = {};
      for (const queue of Object.keys(lists)) {
        await queryClient.cancelQueries({ queryKey: queryKeys.queueTasks(queue) });
        held[queue] = queryClient.getQueryData(queryKeys.queueTasks(queue));
      }
      for (const [queue, list] of Object.entries(lists)) {
        queryClient.setQueryData(queryKeys.queueTasks(queue), list);
      }
      return () => {
        for (const [queue, list] of Object.entries(held)) {
          queryClient.setQueryData(queryKeys.queueTasks(queue), list);
        }
      };
    },
    [queryClient],
  );

  const settle = useCallback(
    (queues: string[]) => {
      for (const queue of queues)
        void queryClient.invalidateQueries({ queryKey: queryKeys.queueTasks(queue) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.queues });
    },
    [queryClient],
  );

  const reorder = useCallback(
    async (queue: string, from: number, to: number) => {
      const list = listOf(queue);
      const task = list[from];
      if (!task || from === to) return;
      const next = moveWithin(list, from, to);
      const neighbour = neighbourOf(next, to);
      if (!neighbour) return;
      setMessage(null);
      const rollback = await replaceLists({ [queue]: next });
      try {
        const { task: saved } = await apiSend<{ task: SeedTask }>(taskPath(task.id, "reorder"), {
          ...neighbour,
          expected_version: task.version,
        });
        storeTask(queryClient, saved);
      } catch (error) {
        rollback();
        setMessage(refusal(t, task, error));
      } finally {
        settle([queue]);
      }
    },
    [listOf, queryClient, replaceLists, settle, t],
  );

  const move = useCallback(
    async (fromQueue: string, toQueue: string, taskId: string, index: number) => {
      const source = listOf(fromQueue);
      const task = source.find((t) => t.id === taskId);
      if (!task || fromQueue === toQueue) return;
      if (toQueue === "scheduled") {
        setMessage(t("needsDate", { task: task.id }));
        return;
      }
      setMessage(null);
      const lists = moveAcross(source, listOf(toQueue), taskId, index);
      const rollback = await replaceLists({ [fromQueue]: lists.source, [toQueue]: lists.target });
      try {
        const { task: moved } = await apiSend<{ task: SeedTask }>(taskPath(task.id, "move"), {
          queue: toQueue,
          expected_version: task.version,
        });
        storeTask(queryClient, moved);
        const at = lists.target.findIndex((t) => t.id === taskId);
        const neighbour = neighbourOf(lists.target, at);
        if (neighbour && moved.state.current === "QUEUED") {
          const { task: placed } = await apiSend<{ task: SeedTask }>(taskPath(task.id, "reorder"), {
            ...neighbour,
            expected_version: moved.metadata.version,
          });
          storeTask(queryClient, placed);
        }
      } catch (error) {
        rollback();
        setMessage(refusal(t, task, error));
      } finally {
        settle([fromQueue, toQueue]);
      }
    },
    [listOf, queryClient, replaceLists, settle, t],
  );

  return { reorder, move, message, dismiss: () => setMessage(null) };
}
