import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
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
