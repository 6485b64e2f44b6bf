import en from "../../messages/en.json";
import fr from "../../messages/fr.json";
import type { Locale } from "./locales";

// One catalogue per language, nested by area (messages/README.md). English is the reference:
// its shape is the type of every catalogue (see global.d.ts), and a test checks fr has the same keys.

export type Messages = typeof en;

export const MESSAGES: Record<Locale, Messages> = { en, fr };

export const messagesFor = (locale: Locale): Messages => MESSAGES[locale];
