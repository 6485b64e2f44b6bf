import { useTranslations } from "next-intl";
import type { ReactNode } from "react";

/** A page's frame: its title, an optional line under it, actions on the right. */
export function PageHeader({
  title,
  description,
  actions,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3 px-4 pt-4 pb-2">
      <div>
        <h1 className="text-xl font-semibold">{title}</h1>
        {description && <p className="muted mt-0.5 text-sm">{description}</p>}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

/** "Loading the board…": `what` is the thing in the loading form ("du tableau" in French). */
export function Loading({ what }: { what: string }) {
  const t = useTranslations("common");
  return (
    <p className="muted p-4" role="status">
      {t("loading", { what })}
    </p>
  );
}

export function ErrorMessage({ children }: { children: ReactNode }) {
  return (
    <p
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      {children}
    </p>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p
      role="status"
      className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
    >
      {children}
    </p>
  );
}
