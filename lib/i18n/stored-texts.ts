import fr from "../../messages/fr.json";

// Suggested actions are stored in French, as the seed's escalation records have them (SPEC §7).
// A reader of another language sees the same advice in theirs: the stored text is looked up among
// the French catalogue's escalations.suggestions, and its key shown in the reader's catalogue.
// A test checks that every suggested action the engine writes has its entry.

export type SuggestionKey = keyof typeof fr.escalations.suggestions;

const KEY_BY_TEXT = new Map(
  Object.entries(fr.escalations.suggestions).map(([key, text]) => [text, key as SuggestionKey]),
);

/** The catalogue key of a stored suggested action, or null for a text it does not know. */
export const suggestionKey = (stored: string): SuggestionKey | null => KEY_BY_TEXT.get(stored) ?? null;
