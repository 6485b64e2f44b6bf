"use client";

import { type FormEvent, type ReactNode, useId, useState } from "react";
import type { FieldError } from "@/lib/field-error";
import { ApiError } from "../api-client";
import { fieldMessage } from "./field";
import { ErrorMessage } from "./page";

/** The field errors the server gave for a failed submit (none for other errors). */
export function serverFields(error: unknown): readonly FieldError[] {
  return error instanceof ApiError ? error.fields : [];
}

/**
 * A form's text values: `set(key)` changes one, `reset()` empties them, and `binder(error)`
 * gives each TextField its value, change handler and the server's message for it.
 */
export function useFormValues<T extends Record<string, string>>(initial: T) {
  const [values, setValues] = useState(initial);
  const set = (key: keyof T) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  return {
    values,
    set,
    reset: () => setValues(initial),
    binder: (error: Error | null) => {
      const fields = serverFields(error);
      return (key: keyof T & string, path: string = key) => ({
        value: values[key],
        onChange: set(key),
        error: fieldMessage(fields, path),
      });
    },
  };
}

/**
 * A titled form in a panel: its fields, the error that names no field (those that do are shown
 * by their Field), an optional status line, and the submit button. Validation is the server's.
 */
export function FormPanel({
  title,
  submitLabel,
  onSubmit,
  pending,
  error,
  status,
  children,
}: {
  title: ReactNode;
  submitLabel: string;
  onSubmit: () => void;
  pending: boolean;
  error: Error | null;
  status?: ReactNode;
  children: ReactNode;
}) {
  const titleId = useId();
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit();
  }
  return (
    <form onSubmit={submit} aria-labelledby={titleId} className="panel flex flex-col gap-3 p-4" noValidate>
      <h2 id={titleId} className="text-sm font-semibold">
        {title}
      </h2>
      {children}
      {error && serverFields(error).length === 0 && <ErrorMessage>{error.message}</ErrorMessage>}
      {status}
      <button type="submit" className="btn-primary self-start" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}
