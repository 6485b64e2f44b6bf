import type { Formats } from "use-intl/core";

// Named formats shared by the server (i18n/request.ts) and the browser (NextIntlClientProvider).
// Times are 24-hour in both languages: the agency's people read "14:05", never "2:05 PM".

export const FORMATS = {
  dateTime: {
    dateTime: { dateStyle: "medium", timeStyle: "short", hourCycle: "h23" },
    date: { dateStyle: "medium" },
    dayMonth: { day: "numeric", month: "short" },
    time: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  },
  number: {
    /** "3.5" / "3,5": at most one decimal. */
    decimal1: { maximumFractionDigits: 1 },
  },
} satisfies Formats;
