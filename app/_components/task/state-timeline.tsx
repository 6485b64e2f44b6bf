"use client";

import { useTranslations } from "next-intl";
import type { SeedTask } from "@/lib/seed-format";
import { useDuration } from "../time/sla";
import { useFormat } from "../ui/format";
import { StateBadge } from "../ui/state-badge";

/** state.history as a timeline, with how long the task stayed in each state. */
export function StateTimeline({ task }: { task: SeedTask }) {
  const history = task.state.history;
  const t = useTranslations("task");
  const format = useFormat();
  const formatDuration = useDuration();
  return (
    <section aria-labelledby="timeline-title" className="panel p-4">
      <h2 id="timeline-title" className="mb-3 text-sm font-semibold">
        {t("history")}
      </h2>
      <ol
        className="relative ml-2 border-l border-slate-300 dark:border-slate-700"
        data-testid="state-timeline"
      >
        {history.map((entry, i) => {
          const next = history[i + 1];
          return (
            <li key={`${entry.state}-${entry.at}`} className="mb-3 ml-4">
              <span
                className="absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full border border-white bg-sky-600 dark:border-slate-900"
                aria-hidden
              />
              <div className="flex flex-wrap items-center gap-2">
                <StateBadge state={entry.state} />
                <time dateTime={entry.at} className="text-sm">
                  {format.dateTime(entry.at)}
                </time>
                {next && (
                  <span className="muted text-xs">
                    {t("for", { duration: formatDuration(Date.parse(next.at) - Date.parse(entry.at)) })}
                  </span>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
