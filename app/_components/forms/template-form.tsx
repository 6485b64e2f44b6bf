"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import type { SeedTask } from "@/lib/seed-format";
import { ApiError, apiFetch, apiSend } from "../api-client";
import { queryKeys } from "../data/query-keys";
import type { TemplateView } from "../data/types";
import { Field, fieldMessage } from "../ui/field";
import { ErrorMessage, Loading, Notice } from "../ui/page";
import { ErrorSummary } from "./error-summary";
import { fieldLabels, splitList, TASK_FIELD_KEYS } from "./task-form-model";

const idOf = (path: string) => `tpl-${path.replace(/\./g, "-")}`;

const EMPTY = {
  intake_id: "",
  client_name: "",
  client_contact: "",
  project_type: "",
  budget_range: "",
  project_deadline: "",
  factors: "",
};

/** Creates a template's whole chain of dependent tasks in one go. */
export function TemplateForm() {
  const queryClient = useQueryClient();
  const t = useTranslations("forms.template");
  const tc = useTranslations("common");
  const tForms = useTranslations("forms");
  const tf = useTranslations("fields");
  const tt = useTranslations("templates");
  const labels = fieldLabels(tf);
  const templateText = (id: string, key: "name" | "description", fallback: string) =>
    tt.has(`${id}.${key}` as "ecommerce-redesign.name")
      ? tt(`${id}.${key}` as "ecommerce-redesign.name")
      : fallback;
  const templates = useQuery({
    queryKey: queryKeys.templates,
    queryFn: () => apiFetch<{ templates: TemplateView[] }>("/api/v1/templates").then((r) => r.templates),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const [templateId, setTemplateId] = useState("");
  const [values, setValues] = useState(EMPTY);
  const [created, setCreated] = useState<{ tasks: SeedTask[]; intake: string } | null>(null);
  const instantiate = useMutation({
    mutationFn: () => {
      const t = (s: string) => s.trim();
      const client = {
        ...(t(values.client_name) && { name: t(values.client_name) }),
        ...(t(values.client_contact) && { contact: t(values.client_contact) }),
      };
      const project = {
        ...(t(values.project_type) && { type: t(values.project_type) }),
        ...(t(values.budget_range) && { budget_range: t(values.budget_range) }),
        ...(values.project_deadline && { deadline: values.project_deadline }),
      };
      return apiSend<{ tasks: SeedTask[] }>(
        `/api/v1/templates/${encodeURIComponent(templateId)}/instantiate`,
        {
          ...(t(values.intake_id) && { intake_id: t(values.intake_id) }),
          context: { client, project },
          ...(splitList(values.factors).length > 0 && { priority: { factors: splitList(values.factors) } }),
        },
      );
    },
    onSuccess: ({ tasks }) => {
      setCreated({ tasks, intake: values.intake_id.trim() });
      setValues(EMPTY);
      void queryClient.invalidateQueries({ queryKey: queryKeys.board });
    },
  });

  if (templates.isPending) return <Loading what={t("loading")} />;
  if (templates.error)
    return (
      <ErrorMessage>{tc("couldNotLoad", { what: t("what"), message: templates.error.message })}</ErrorMessage>
    );
  const template = templates.data.find((x) => x.id === templateId);
  const fields = instantiate.error instanceof ApiError ? instantiate.error.fields : [];
  const err = (path: string) => fieldMessage(fields, path);
  const input = (key: keyof typeof EMPTY, path: string, type = "text", hint?: string) => (
    <Field id={idOf(path)} label={tf(TASK_FIELD_KEYS[path]!)} error={err(path)} hint={hint}>
      {(props) => (
        <input
          {...props}
          type={type}
          value={values[key]}
          onChange={(e) => setValues((v) => ({ ...v, [key]: e.target.value }))}
          className="input"
        />
      )}
    </Field>
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    instantiate.mutate();
  }

  const graphHref = created
    ? created.intake
      ? `/graph?intake=${encodeURIComponent(created.intake)}`
      : `/graph?task=${created.tasks[0]?.id ?? ""}`
    : "";

  return (
    <form onSubmit={submit} aria-label={t("label")} className="flex flex-col gap-4" noValidate>
      {instantiate.error && (
        <ErrorSummary
          key={instantiate.submittedAt}
          message={fields.length > 0 ? t("notCreated") : instantiate.error.message}
          fields={fields}
          labels={labels}
          idOf={idOf}
        />
      )}
      {created && (
        <Notice>
          {t("created", { count: created.tasks.length })}{" "}
          {created.tasks.map((task, i) => (
            <span key={task.id}>
              {i > 0 && " → "}
              <Link href={`/tasks/${task.id}`} className="font-mono underline">
                {task.id}
              </Link>
            </span>
          ))}
          .{" "}
          <Link href={graphHref} className="underline">
            {t("seeChain")}
          </Link>
          .
        </Notice>
      )}
      <div className="panel grid gap-3 p-4 sm:grid-cols-2">
        <Field
          label={t("template")}
          required
          hint={template && templateText(template.id, "description", template.description)}
        >
          {(props) => (
            <select
              {...props}
              value={templateId}
              onChange={(e) => setTemplateId(e.target.value)}
              className="input"
              required
            >
              <option value="">{t("choose")}</option>
              {templates.data.map((x) => (
                <option key={x.id} value={x.id}>
                  {templateText(x.id, "name", x.name)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {template?.tasks && (
          <div>
            <p className="label">{t("chain")}</p>
            <ol className="mt-1 list-decimal pl-5 text-sm">
              {template.tasks.map((x) => (
                <li key={x.key}>
                  {x.definition.title} <span className="muted">({x.definition.skill_target})</span>
                  {x.blocked_by?.length ? (
                    <span className="muted">{t("after", { list: x.blocked_by.join(", ") })}</span>
                  ) : null}
                </li>
              ))}
            </ol>
          </div>
        )}
        {input("intake_id", "intake_id", "text", t("intakeHint"))}
        {input("factors", "priority.factors", "text", t("factorsHint"))}
        {input("client_name", "context.client.name")}
        {input("client_contact", "context.client.contact")}
        {input("project_type", "context.project.type")}
        {input("budget_range", "context.project.budget_range")}
        {input("project_deadline", "context.project.deadline", "date")}
      </div>
      <div>
        <button type="submit" className="btn-primary" disabled={!templateId || instantiate.isPending}>
          {instantiate.isPending ? tForms("creating") : t("create")}
        </button>
      </div>
    </form>
  );
}
