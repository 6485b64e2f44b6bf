import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { DataTable, type DataTableProps } from "./data-table";
import { ErrorMessage, Loading } from "./page";

/** A query's three faces: loading, its error, or its data (with a line for an empty list). */
export function QueryContent<T>({
  query,
  what,
  empty,
  children,
}: {
  query: UseQueryResult<T>;
  /** "the keys": for "Loading the keys…" and "Could not load the keys". */
  what: string;
  /** Shown instead of `children` when the data is an empty array. */
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.error)
    return (
      <ErrorMessage>
        Could not load {what}: {query.error.message}
      </ErrorMessage>
    );
  if (empty && Array.isArray(query.data) && query.data.length === 0) {
    return <p className="muted text-sm">{empty}</p>;
  }
  return <>{children(query.data)}</>;
}

/** A table of a query's rows, with the query's loading, error and empty faces. */
export function QueryTable<T>({
  query,
  what,
  empty,
  ...table
}: { query: UseQueryResult<T[]>; what: string; empty?: ReactNode } & Omit<DataTableProps<T>, "rows">) {
  return (
    <QueryContent query={query} what={what} empty={empty}>
      {(rows) => <DataTable {...table} rows={rows} />}
    </QueryContent>
  );
}
