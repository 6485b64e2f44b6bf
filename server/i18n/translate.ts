import { createTranslator } from "use-intl/core";
import type { Locale } from "@/lib/i18n/locales";
import { messagesFor } from "@/lib/i18n/messages";

/** The server's translator for one language, over the same catalogues as the UI. */
export function serverTranslator(locale: Locale) {
  return createTranslator({ locale, messages: messagesFor(locale) });
}

export type ServerTranslator = ReturnType<typeof serverTranslator>;
