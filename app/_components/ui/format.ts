"use client";

import { useFormatter } from "next-intl";

// Dates and numbers as the reader reads them: their language's conventions, their time zone
// (NextIntlClientProvider), 24-hour times. Never a raw ISO string in the UI.

const asDate = (iso: string | number | Date | null | undefined): Date | null => {
  if (iso === null || iso === undefined || iso === "") return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** Formatting functions bound to the reader's locale and time zone. */
export function useFormat() {
  const format = useFormatter();
  const with_ =
    (name: "dateTime" | "date" | "dayMonth" | "time") => (value: Parameters<typeof asDate>[0]) => {
      const date = asDate(value);
      return date ? format.dateTime(date, name) : "—";
    };
  return {
    /** "24 Nov 2026, 15:04" / "24 nov. 2026, 15:04". */
    dateTime: with_("dateTime"),
    date: with_("date"),
    dayMonth: with_("dayMonth"),
    /** "14:05" in both languages. */
    time: with_("time"),
    /** "3.5" / "3,5". */
    decimal: (value: number) => format.number(value, "decimal1"),
    /** An integer with the language's grouping: "1,234" / "1 234". */
    number: (value: number, options: { maximumFractionDigits?: number } = {}) =>
      format.number(value, options),
    integer: (value: number) => format.number(value, { maximumFractionDigits: 0 }),
    /** 12.5 → "12.5 %" / "12,5 %" (the value is already a percentage). */
    percent: (value: number) => `${format.number(value, { maximumFractionDigits: 1 })} %`,
  };
}

export type Format = ReturnType<typeof useFormat>;

/** An output item (a string, or an object from an executor) as text. */
export function formatItem(item: unknown): string {
  return typeof item === "string" ? item : JSON.stringify(item, null, 2);
}
