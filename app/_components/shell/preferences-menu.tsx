"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useLocale, useTimeZone, useTranslations } from "next-intl";
import { DEFAULT_TIME_ZONE, LOCALES } from "@/lib/i18n/locales";
import { apiSend, errorMessage } from "../api-client";

/** Zones offered beside the agency's; the browser's own is added when it is another. */
const ZONES = [
  "Europe/Paris",
  "Europe/London",
  "Europe/Brussels",
  "America/Montreal",
  "America/New_York",
  "UTC",
];

type Change = { locale?: string | null; time_zone?: string | null };

/**
 * The person's language and time zone, saved on their account (PATCH /api/v1/auth/me/preferences):
 * the page is then rendered again by the server in the new language, and every page after it.
 */
export function PreferencesMenu() {
  const t = useTranslations("shell");
  const router = useRouter();
  const locale = useLocale();
  const timeZone = useTimeZone() ?? DEFAULT_TIME_ZONE;
  const save = useMutation({
    mutationFn: (change: Change) => apiSend("/api/v1/auth/me/preferences", change, "PATCH"),
    onSuccess: () => router.refresh(),
  });
  const browserZone = typeof Intl === "undefined" ? null : Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = [...new Set([timeZone, ...ZONES, ...(browserZone ? [browserZone] : [])])];
  return (
    <div className="flex items-center gap-2" data-testid="preferences">
      <label className="sr-only" htmlFor="pref-locale">
        {t("language")}
      </label>
      <select
        id="pref-locale"
        value={locale}
        onChange={(e) => save.mutate({ locale: e.target.value })}
        className="input w-auto py-1 text-sm"
        disabled={save.isPending}
        data-testid="language-switch"
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`languageNames.${l}`)}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="pref-zone">
        {t("timeZone")}
      </label>
      <select
        id="pref-zone"
        value={timeZone}
        onChange={(e) => save.mutate({ time_zone: e.target.value })}
        className="input hidden w-auto py-1 text-sm lg:block"
        disabled={save.isPending}
        data-testid="time-zone-switch"
      >
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone === DEFAULT_TIME_ZONE ? t("agencyZone") : zone}
          </option>
        ))}
      </select>
      {save.error && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {t("notSaved", { message: errorMessage(save.error) })}
        </span>
      )}
    </div>
  );
}
