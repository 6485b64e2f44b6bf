import { type Locale, resolveLocale, resolveTimeZone } from "@/lib/i18n/locales";
import type { Principal } from "../auth/principal";

export interface RequestPreferences {
  locale: Locale;
  timeZone: string;
}

/**
 * The language and time zone to answer a caller in: the person's saved setting, else the
 * request's Accept-Language (machines and the login page), else English and Paris time.
 */
export function requestPreferences(
  principal: Pick<Principal, "preferences"> | null | undefined,
  acceptLanguage: string | null | undefined,
): RequestPreferences {
  return {
    locale: resolveLocale(principal?.preferences?.locale, acceptLanguage),
    timeZone: resolveTimeZone(principal?.preferences?.timeZone),
  };
}

export const requestLocale = (request: Request, principal?: Pick<Principal, "preferences"> | null): Locale =>
  requestPreferences(principal, request.headers.get("accept-language")).locale;
