"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import type { SeedTask } from "@/lib/seed-format";
import { TEMPLATES } from "@/lib/templates";
import { ApiError, apiSend } from "../api-client";
import { Field, fieldMessage } from "../ui/field";
import { ErrorMessage } from "../ui/page";
import type { Proposal } from "./use-command-bar-data";

/**
 * The work a sentence proposed, for a person to check, complete and confirm. Only on confirm is
 * the template instantiated (POST /api/v1/templates/{id}/instantiate, the form's own API).
 */
export function ProposalForm({
  proposal,
  request,
  templateName,
  onBack,
  onCreated,
}: {
  proposal: Proposal;
  /** The sentence it came from: kept in the tasks' descriptions, so search finds them by it. */
  request: string;
  templateName: string;
  onBack: () => void;
  onCreated: (tasks: SeedTask[], intake: string | null) => void;
}) {
  const t = useTranslations("commandBar");
  const [values, setValues] = useState({
    client: proposal.context.client.name ?? "",
    budget: proposal.context.project.budget_range ?? "",
    deadline: proposal.context.project.deadline ?? "",
    intake: "",
  });
  const create = useMutation({
    mutationFn: () => {
      const client = values.client.trim();
      const budget = values.budget.trim();
      const intake = values.intake.trim();
      return apiSend<{ tasks: SeedTask[] }>(
        `/api/v1/templates/${encodeURIComponent(proposal.template_id)}/instantiate`,
        {
          ...(intake ? { intake_id: intake } : {}),
          request,
          context: {
            client: client ? { name: client } : {},
            project: {
              ...(proposal.context.project.type ? { type: proposal.context.project.type } : {}),
              ...(budget ? { budget_range: budget } : {}),
              ...(values.deadline ? { deadline: values.deadline } : {}),
            },
          },
        },
      );
    },
    onSuccess: ({ tasks }) => onCreated(tasks, values.intake.trim() || null),
  });
  const fields = create.error instanceof ApiError ? create.error.fields : [];
  const template = TEMPLATES.find((x) => x.id === proposal.template_id);
  const set = (key: keyof typeof values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  return (
    <form
      onSubmit={submit}
      className="flex flex-col gap-3 overflow-y-auto p-4"
      aria-label={t("confirmTitle", { template: templateName })}
      data-testid="command-proposal"
      noValidate
    >
      <h2 className="text-base font-semibold">{t("confirmTitle", { template: templateName })}</h2>
      <p className="muted text-sm">{t("confirmHelp")}</p>
      <p className="muted text-xs">{t("understood", { words: proposal.matched.join(", ") })}</p>
      {template && (
        <div>
          <p className="label">{t("chain")}</p>
          <ol className="mt-1 list-decimal pl-5 text-sm">
            {template.tasks.map((task) => (
              <li key={task.key}>{task.definition.title}</li>
            ))}
          </ol>
        </div>
      )}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={t("fields.client")} error={fieldMessage(fields, "context.client.name")}>
          {(props) => <input {...props} value={values.client} onChange={set("client")} className="input" />}
        </Field>
        <Field label={t("fields.budget")} error={fieldMessage(fields, "context.project.budget_range")}>
          {(props) => <input {...props} value={values.budget} onChange={set("budget")} className="input" />}
        </Field>
        <Field label={t("fields.deadline")} error={fieldMessage(fields, "context.project.deadline")}>
          {(props) => (
            <input
              {...props}
              type="date"
              value={values.deadline}
              onChange={set("deadline")}
              className="input"
            />
          )}
        </Field>
        <Field label={t("fields.intake")} error={fieldMessage(fields, "intake_id")}>
          {(props) => (
            <input
              {...props}
              value={values.intake}
              onChange={set("intake")}
              placeholder="INK-…"
              className="input"
            />
          )}
        </Field>
      </div>
      {create.error && fields.length === 0 && <ErrorMessage>{create.error.message}</ErrorMessage>}
      <div className="flex gap-2">
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? t("creating") : t("confirm")}
        </button>
        <button type="button" className="btn-secondary" onClick={onBack}>
          {t("back")}
        </button>
      </div>
    </form>
  );
}
