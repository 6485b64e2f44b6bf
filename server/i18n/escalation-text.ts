import type { EscalationView } from "@/lib/escalations";
import { isEscalationReason } from "@/lib/escalations";
import type { Locale } from "@/lib/i18n/locales";
import { suggestionKey } from "@/lib/i18n/stored-texts";
import { serverTranslator } from "./translate";

// An escalation's words for the person reading it over the API: the reason's name and the
// suggested action in the caller's language. `suggested_action` itself stays as stored, in
// French, as the seed writes it (SPEC §7); `reader_text` is the same advice in theirs.

export interface ReaderText {
  reason: string;
  suggested_action: string;
}

export function readerText(view: EscalationView, locale: Locale): ReaderText {
  const t = serverTranslator(locale);
  const { reason, suggested_action: stored } = view.escalation;
  const key = suggestionKey(stored);
  return {
    reason: isEscalationReason(reason) ? t(`escalations.reasons.${reason}`) : reason,
    suggested_action: key ? t(`escalations.suggestions.${key}`) : stored,
  };
}

/** The view with its `reader_text` in `locale`. */
export function withReaderText<V extends EscalationView>(
  view: V,
  locale: Locale,
): V & { reader_text: ReaderText } {
  return { ...view, reader_text: readerText(view, locale) };
}
