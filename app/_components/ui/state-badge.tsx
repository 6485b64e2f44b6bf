import { useTranslations } from "next-intl";
import { TASK_STATES, type TaskStateName } from "@/lib/states";

/** Every state, in the order the legend and filters list them. */
export const STATE_NAMES: readonly TaskStateName[] = TASK_STATES;

/** A state's name in the reader's language (messages: states.*). */
export function useStateLabel(): (state: TaskStateName) => string {
  const t = useTranslations("states");
  return (state) => t(state);
}

/** Badge colours per state, readable in both themes (also used by the graph's nodes). */
export const STATE_CLASSES: Record<TaskStateName, string> = {
  CREATED: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
  QUEUED: "bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100",
  ON_HOLD: "bg-violet-100 text-violet-900 dark:bg-violet-900 dark:text-violet-100",
  SCHEDULED: "bg-indigo-100 text-indigo-900 dark:bg-indigo-900 dark:text-indigo-100",
  IN_PROGRESS: "bg-blue-600 text-white dark:bg-blue-700",
  COMPLETED: "bg-emerald-700 text-white dark:bg-emerald-800",
  FAILED: "bg-red-700 text-white dark:bg-red-800",
  BLOCKED: "bg-orange-200 text-orange-950 dark:bg-orange-900 dark:text-orange-100",
  UNBLOCKED: "bg-teal-100 text-teal-900 dark:bg-teal-900 dark:text-teal-100",
  CANCELLED: "bg-slate-500 text-white dark:bg-slate-600",
};

/** Border accent per state for nodes and cards. */
export const STATE_BORDER: Record<TaskStateName, string> = {
  CREATED: "border-slate-400",
  QUEUED: "border-sky-500",
  ON_HOLD: "border-violet-500",
  SCHEDULED: "border-indigo-500",
  IN_PROGRESS: "border-blue-600",
  COMPLETED: "border-emerald-600",
  FAILED: "border-red-600",
  BLOCKED: "border-orange-500",
  UNBLOCKED: "border-teal-500",
  CANCELLED: "border-slate-500",
};

export function StateBadge({ state }: { state: TaskStateName }) {
  const label = useStateLabel();
  return (
    <span
      className={`inline-block rounded px-1.5 py-0.5 text-xs font-semibold ${STATE_CLASSES[state]}`}
      data-testid="state-badge"
      data-state={state}
    >
      {label(state)}
    </span>
  );
}
