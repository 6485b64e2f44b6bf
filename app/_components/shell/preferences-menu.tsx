"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useLocale, useTimeZone, useTranslations } from "next-intl";
import { DEFAULT_TIME_ZONE, LOCALES } from "@/lib/i18n/locales";
import { apiSend, errorMessage } from "../api-client";
import { useBrowserValue } from "../hooks/use-browser-value";

/** Zones offered beside the agency's; the browser's own is added when it is another. */
const ZONES = [
  "Europe/Paris",
  "Europe/London",
  "Europe/Brussels",
  "America/Montreal",
  "America/New_York",
  "UTC",
];

const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

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
  const browserZone = useBrowserValue<string | null>(browserTimeZone, null);
  const zones = [...new Set([timeZone, ...ZONES, ...(browserZone ? [browserZone] : [])])];
  return (
    <div className="flex items-center gap-2" data-testid="preferences">
      <PreferenceSelect
        id="pref-locale"
        label={t("language")}
        value={locale}
        options={LOCALES.map((l) => ({ value: l, label: t(`languageNames.${l}`), lang: l }))}
        onChange={(value) => save.mutate({ locale: value })}
        disabled={save.isPending}
        testId="language-switch"
      />
      <PreferenceSelect
        id="pref-zone"
        label={t("timeZone")}
        value={timeZone}
        options={zones.map((zone) => ({
          value: zone,
          label: zone === DEFAULT_TIME_ZONE ? t("agencyZone") : zone,
        }))}
        onChange={(value) => save.mutate({ time_zone: value })}
        disabled={save.isPending}
        testId="time-zone-switch"
        className="hidden lg:block"
      />
      {save.error && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {t("notSaved", { message: errorMessage(save.error) })}
        </span>
      )}
    </div>
  );
}

/** One of the header's compact pickers: its label is for screen readers only. */
function PreferenceSelect({
  id,
  label,
  value,
  options,
  onChange,
  disabled,
  testId,
  className = "",
}: {
  id: string;
  label: string;
  value: string;
  options: { value: string; label: string; lang?: string }[];
  onChange: (value: string) => void;
  disabled: boolean;
  testId: string;
  className?: string;
}) {
  return (
    <>
      <label className="sr-only" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={`input w-auto py-1 text-sm ${className}`}
        disabled={disabled}
        data-testid={testId}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value} lang={o.lang}>
            {o.label}
          </option>
        ))}
      </select>
    </>
  );
}
