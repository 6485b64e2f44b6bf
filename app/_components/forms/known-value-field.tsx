"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Field } from "../ui/field";

const NEW = "\u0000new";

/**
 * A field whose value is normally one already in use (a skill, a type, an assignee): a list of
 * the known values, and "New…" as an explicit choice that opens a text box. A typo can no longer
 * invent a skill nobody serves without the person meaning to.
 */
export function KnownValueField({
  id,
  label,
  hint,
  error,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  const t = useTranslations("forms");
  const [creating, setCreating] = useState(() => value !== "" && !options.includes(value));
  const known = [...options].sort((a, b) => a.localeCompare(b));
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(props) => (
        <div className="flex flex-col gap-1">
          <select
            {...props}
            value={creating ? NEW : value}
            onChange={(e) => {
              const next = e.target.value;
              setCreating(next === NEW);
              onChange(next === NEW ? "" : next);
            }}
            className="input"
            data-testid={`${id}-select`}
          >
            <option value="">{t("noneChosen")}</option>
            {known.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
            <option value={NEW}>{t("newValue")}</option>
          </select>
          {creating && (
            <input
              type="text"
              aria-label={t("newValueOf", { label })}
              value={value}
              onChange={(e) => onChange(e.target.value)}
              className="input"
              data-testid={`${id}-new`}
              // biome-ignore lint/a11y/noAutofocus: the person just chose "New…": they type next
              autoFocus
            />
          )}
        </div>
      )}
    </Field>
  );
}
