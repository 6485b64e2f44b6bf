"use client";

import { useEffect, useRef } from "react";
import type { FieldError } from "@/lib/field-error";

/**
 * The problems the server named, listed at the top of a form and focused when they appear, each
 * linking to its field (keyboard and screen-reader users land on the list, then jump to a field).
 */
export function ErrorSummary({
  message,
  fields,
  labels,
  idOf,
}: {
  message: string;
  fields: readonly FieldError[];
  /** Field path → its label. */
  labels: Record<string, string>;
  /** Field path → the id of its control, when it has one. */
  idOf: (path: string) => string | undefined;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alert"
      className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
      data-testid="error-summary"
    >
      <p className="font-semibold">{message}</p>
      {fields.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {fields.map((f) => {
            const id = idOf(f.path);
            const label = labels[f.path] ?? f.path;
            return (
              <li key={`${f.path}-${f.message}`}>
                {id ? (
                  <a href={`#${id}`} className="underline">
                    {label}
                  </a>
                ) : (
                  label
                )}
                : {f.message}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
