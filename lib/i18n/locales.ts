// The UI's languages and the agency's defaults. No locale in the URL: the language comes from
// the person's saved setting, else the browser's Accept-Language, else English.

export const LOCALES = ["en", "fr"] as const;
export type Locale = (typeof LOCALES)[number];

/** English stays the default so an en-US browser (and the English e2e specs) see English. */
export const DEFAULT_LOCALE: Locale = "en";

/** The agency works in Paris: times are shown there unless a person picks another zone. */
export const DEFAULT_TIME_ZONE = "Europe/Paris";

export const isLocale = (value: unknown): value is Locale =>
  typeof value === "string" && (LOCALES as readonly string[]).includes(value);

/** True for a time zone the runtime knows (an IANA name such as "America/Montreal"). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * The best of our locales for an Accept-Language header ("fr-CA,fr;q=0.9,en;q=0.8" → "fr"),
 * by quality then order; DEFAULT_LOCALE when none matches.
 */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number(q.slice(2)) : 1;
      return { base: tag.trim().toLowerCase().split("-")[0] ?? "", quality, index };
    })
    .filter((entry) => entry.base && Number.isFinite(entry.quality) && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((entry) => entry.base).find(isLocale) ?? DEFAULT_LOCALE;
}

/** The person's saved choice wins; then the browser's; then English. */
export function resolveLocale(
  saved: string | null | undefined,
  acceptLanguage: string | null | undefined,
): Locale {
  return isLocale(saved) ? saved : negotiateLocale(acceptLanguage);
}

export function resolveTimeZone(saved: string | null | undefined): string {
  return saved && isTimeZone(saved) ? saved : DEFAULT_TIME_ZONE;
}
