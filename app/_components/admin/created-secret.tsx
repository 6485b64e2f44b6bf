"use client";

import { useTranslations } from "next-intl";
import { type ReactNode, useState } from "react";

/** Puts text on the clipboard and says so. */
export function CopyButton({
  text,
  what,
  onCopied,
}: {
  text: string;
  what: string;
  onCopied: (what: string) => void;
}) {
  const t = useTranslations("admin");
  return (
    <button
      type="button"
      className="btn-secondary"
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => undefined);
        onCopied(what);
      }}
    >
      {t("copy", { what })}
    </button>
  );
}

/** A secret shown once, right after it was made (an API key, a webhook signing secret). */
export function CreatedSecretNotice({
  name,
  secret,
  onDone,
  children,
}: {
  name: string;
  secret: string;
  onDone: () => void;
  /** More to show under the secret (e.g. a wall display URL); it gets `setCopied` to report copies. */
  children?: (setCopied: (what: string) => void) => ReactNode;
}) {
  const t = useTranslations("admin");
  const [copied, setCopied] = useState<string | null>(null);
  return (
    <section
      role="alert"
      aria-labelledby="secret-title"
      className="rounded-lg border-2 border-amber-500 bg-amber-50 p-4 text-amber-950 dark:bg-amber-950 dark:text-amber-50"
      data-testid="new-secret"
    >
      <h2 id="secret-title" className="font-semibold">
        {t("secretCreated", { name })}
      </h2>
      <p className="mt-2 flex flex-wrap items-center gap-2">
        <code className="rounded bg-white px-2 py-1 break-all text-slate-900" data-testid="secret">
          {secret}
        </code>
        <CopyButton text={secret} what={t("secret")} onCopied={setCopied} />
      </p>
      {children?.(setCopied)}
      {copied && <p className="mt-1 text-sm">{t("copied", { what: copied })}</p>}
      <button type="button" className="btn-secondary mt-3" onClick={onDone}>
        {t("copiedIt")}
      </button>
    </section>
  );
}
