"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";

interface Props {
  open: boolean;
  title: string;
  /** What the text box asks for ("Why is it blocked?"). */
  prompt: string;
  confirmLabel: string;
  required?: boolean;
  danger?: boolean;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}

/** A modal asking for a reason (or a note) before an action: focus trapped, Escape closes. */
export function ReasonDialog({
  open,
  title,
  prompt,
  confirmLabel,
  required,
  danger,
  onConfirm,
  onClose,
}: Props) {
  const t = useTranslations("common");
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setReason("");
      setError(null);
      dialog.showModal();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (required && !reason.trim()) {
      setError(t("reasonRequired"));
      return;
    }
    onConfirm(reason.trim());
  }

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={`${id}-title`}
      className="panel m-auto w-full max-w-md p-0 text-slate-900 backdrop:bg-slate-950/50 dark:text-slate-100"
    >
      <form onSubmit={submit} className="flex flex-col gap-3 p-4" noValidate>
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          {title}
        </h2>
        <label htmlFor={`${id}-reason`} className="label">
          {prompt}
          {required && <span aria-hidden> *</span>}
        </label>
        <textarea
          id={`${id}-reason`}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          rows={3}
          className="input"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          required={required}
        />
        {error && (
          <span id={`${id}-error`} className="field-error" role="alert">
            {error}
          </span>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className="btn-secondary" onClick={onClose}>
            {t("close")}
          </button>
          <button type="submit" className={danger ? "btn-danger" : "btn-primary"}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
