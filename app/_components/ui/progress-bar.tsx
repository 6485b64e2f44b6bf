import { useTranslations } from "next-intl";

export function ProgressBar({ percent, label }: { percent: number; label?: string }) {
  const t = useTranslations("common");
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div
      className="h-1.5 w-full rounded bg-slate-200 dark:bg-slate-700"
      role="progressbar"
      aria-valuenow={value}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-label={t("progressValue", { label: label ?? t("progress"), value })}
    >
      <div className="h-1.5 rounded bg-sky-600 dark:bg-sky-400" style={{ width: `${value}%` }} />
    </div>
  );
}
