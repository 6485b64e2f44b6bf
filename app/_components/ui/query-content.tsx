import type { UseQueryResult } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { DataTable, type DataTableProps } from "./data-table";
import { ErrorMessage, Loading } from "./page";

/** A query's three faces: loading, its error, or its data (with a line for an empty list). */
export function QueryContent<T>({
  query,
  what,
  empty,
  children,
  loadingWhat,
}: {
  query: UseQueryResult<T>;
  /** "the keys": for "Could not load the keys" (already translated). */
  what: string;
  /** The loading form ("des clés" in French); `what` when left out. */
  loadingWhat?: string;
  /** Shown instead of `children` when the data is an empty array. */
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const t = useTranslations("common");
  if (query.isPending) return <Loading what={loadingWhat ?? what} />;
  if (query.error)
    return <ErrorMessage>{t("couldNotLoad", { what, message: query.error.message })}</ErrorMessage>;
  if (empty && Array.isArray(query.data) && query.data.length === 0) {
    return <p className="muted text-sm">{empty}</p>;
  }
  return <>{children(query.data)}</>;
}

/** A table of a query's rows, with the query's loading, error and empty faces. */
export function QueryTable<T>({
  query,
  what,
  loadingWhat,
  empty,
  ...table
}: { query: UseQueryResult<T[]>; what: string; loadingWhat?: string; empty?: ReactNode } & Omit<
  DataTableProps<T>,
  "rows"
>) {
  return (
    <QueryContent query={query} what={what} loadingWhat={loadingWhat} empty={empty}>
      {(rows) => <DataTable {...table} rows={rows} />}
    </QueryContent>
  );
}
