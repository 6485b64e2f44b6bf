"use client";

import { useTranslations } from "next-intl";
import type { SeedTask } from "@/lib/seed-format";
import { formatItem } from "../ui/format";

function OutputList({ title, items }: { title: string; items: unknown[] }) {
  const t = useTranslations("task");
  return (
    <div>
      <h3 className="text-xs font-semibold tracking-wide uppercase muted">{title}</h3>
      {items.length === 0 ? (
        <p className="muted text-sm">{t("noneYet")}</p>
      ) : (
        <ul className="mt-1 list-disc space-y-1 pl-5 text-sm">
          {items.map((item, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: output items have no id and never reorder
            <li key={i} className="whitespace-pre-wrap break-words">
              {formatItem(item)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** What the executor produced: deliverables, notes, next actions. */
export function TaskOutput({ task }: { task: SeedTask }) {
  const t = useTranslations("task");
  return (
    <section aria-labelledby="output-title" className="panel flex flex-col gap-3 p-4">
      <h2 id="output-title" className="text-sm font-semibold">
        {t("output")}
      </h2>
      <OutputList title={t("deliverables")} items={task.output.deliverables} />
      <OutputList title={t("notes")} items={task.output.notes} />
      <OutputList title={t("nextActions")} items={task.output.next_actions} />
    </section>
  );
}
