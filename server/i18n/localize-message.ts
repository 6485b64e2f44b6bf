import type { Locale } from "@/lib/i18n/locales";
import { MESSAGES } from "@/lib/i18n/messages";
import { serverTranslator } from "./translate";

// The engine and the HTTP layer write their messages in English (the API's reference language,
// and what the engine's tests read). A caller who reads French gets them in French: each English
// template of messages/en.json `server.messages` is matched against the message, its {parts}
// taken out, and the same key of the caller's catalogue is filled with them. A message without
// a template stays in English. Adding a translated message = adding its template to both files.

interface Template {
  key: string;
  pattern: RegExp;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function compile(template: string): RegExp {
  // ICU quotes "<" (a tag otherwise) as '<'; the message itself has a plain "<".
  const source = template
    .replaceAll("'<'", "<")
    .split(/(\{\w+\})/)
    .map((part) => (/^\{\w+\}$/.test(part) ? `(?<${part.slice(1, -1)}>.+?)` : escapeRegExp(part)))
    .join("");
  return new RegExp(`^${source}$`, "s");
}

/** Most specific first: the longest literal text wins over a template that is a prefix of it. */
const TEMPLATES: readonly Template[] = Object.entries(MESSAGES.en.server.messages)
  .map(([key, template]) => ({ key, pattern: compile(template), literal: template.replace(/\{\w+\}/g, "") }))
  .sort((a, b) => b.literal.length - a.literal.length)
  .map(({ key, pattern }) => ({ key, pattern }));

/** English words that fill a placeholder ("Task" in "Task X does not exist"), by their term key. */
const TERMS = new Map(
  Object.entries(MESSAGES.en.server.terms).map(([key, english]) => [
    english,
    key as keyof typeof MESSAGES.en.server.terms,
  ]),
);

/** `message` in `locale`; as it is when English is asked or no template matches. */
export function localizeMessage(message: string, locale: Locale): string {
  if (locale === "en") return message;
  const t = serverTranslator(locale);
  for (const { key, pattern } of TEMPLATES) {
    const match = pattern.exec(message);
    if (!match) continue;
    const values = Object.fromEntries(
      Object.entries(match.groups ?? {}).map(([name, value]) => {
        const term = TERMS.get(value);
        return [name, term ? t(`server.terms.${term}`) : value];
      }),
    );
    return t(`server.messages.${key}` as "server.messages.notFound", values as Record<string, string>);
  }
  return message;
}
