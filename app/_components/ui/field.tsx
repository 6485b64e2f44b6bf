"use client";

import { type ReactElement, type ReactNode, useId } from "react";
import type { FieldError } from "@/lib/field-error";

/** The message the server gave for a field path (e.g. `definition.title`), if any. */
export function fieldMessage(fields: readonly FieldError[], path: string): string | undefined {
  return fields.find((f) => f.path === path || f.path.startsWith(`${path}.`))?.message;
}

interface ControlProps {
  id: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

/**
 * A labelled form control with its hint and its error, wired for screen readers: the control is
 * rendered by `children(props)` so any input, select or textarea fits.
 */
export function Field({
  id: givenId,
  label,
  hint,
  error,
  required,
  children,
  className = "",
}: {
  /** A fixed id (for links to the field); generated otherwise. */
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  children: (props: ControlProps) => ReactElement;
  className?: string;
}) {
  const generatedId = useId();
  const id = givenId ?? generatedId;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="label">
        {label}
        {required && (
          <span className="text-red-700 dark:text-red-400" aria-hidden>
            {" "}
            *
          </span>
        )}
      </label>
      {children({
        id,
        ...(error ? { "aria-invalid": true as const } : {}),
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
      })}
      {hint && (
        <span id={hintId} className="muted text-xs">
          {hint}
        </span>
      )}
      {error && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/** A Field holding one text-like input (text, email, password, url). */
export function TextField({
  label,
  hint,
  error,
  required,
  value,
  onChange,
  type = "text",
  autoComplete,
  placeholder,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  value: string;
  onChange: (value: string) => void;
  type?: "text" | "email" | "password" | "url";
  autoComplete?: string;
  placeholder?: string;
}) {
  return (
    <Field label={label} hint={hint} error={error} required={required}>
      {(p) => (
        <input
          {...p}
          type={type}
          autoComplete={autoComplete}
          placeholder={placeholder}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className="input"
        />
      )}
    </Field>
  );
}
