"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { SeedTask } from "@/lib/seed-format";
import { ApiError, apiSend, isConflict } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { storeTask } from "../data/use-task";

export interface TaskCommand {
  /** After /api/v1/tasks/{id}: "" (PATCH), "/transition", "/dependencies", … */
  path: string;
  body?: unknown;
  method?: "POST" | "PATCH" | "DELETE";
}

/**
 * Sends a command on a task. The task the server answers with replaces the held one at once; a
 * stale version (409) brings the current task (`details.current`) so the page shows what changed.
 */
export function useTaskCommand(taskId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ path, body, method = "POST" }: TaskCommand) =>
      apiSend<{ task?: SeedTask } | undefined>(
        `/api/v1/tasks/${encodeURIComponent(taskId)}${path}`,
        body,
        method,
      ),
    onSuccess: (result) => {
      if (result?.task) storeTask(queryClient, result.task);
    },
    onError: (error) => {
      const current = error instanceof ApiError ? (error.details.current as SeedTask | undefined) : undefined;
      if (current?.metadata) storeTask(queryClient, current);
      void queryClient.invalidateQueries({ queryKey: queryKeys.task(taskId) });
    },
  });
}

/** What to tell the person when a command was refused (the server's message is in their language). */
export function useCommandErrorMessage(): (error: unknown) => string {
  const t = useTranslations("task");
  return (error) => {
    if (isConflict(error) && error.code === "STALE_VERSION") return t("stale");
    return error instanceof Error ? error.message : t("commandFailed");
  };
}
