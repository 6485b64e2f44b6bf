"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import type { SeedTask } from "@/lib/seed-format";
import { ApiError, apiFetch, apiSend } from "../api-client";
import { queryKeys } from "../data/query-keys";
import type { TemplateView } from "../data/types";
import { Field, fieldMessage } from "../ui/field";
import { ErrorMessage, Loading, Notice } from "../ui/page";
import { ErrorSummary } from "./error-summary";
import { splitList } from "./task-form-model";

const LABELS: Record<string, string> = {
  intake_id: "Intake id",
  "context.client.name": "Client name",
  "context.client.contact": "Client contact",
  "context.project.type": "Project type",
  "context.project.budget_range": "Budget range",
  "context.project.deadline": "Project deadline",
  "priority.factors": "Priority factors",
};
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

  if (templates.isPending) return <Loading what="the templates" />;
  if (templates.error)
    return <ErrorMessage>Could not load the templates: {templates.error.message}</ErrorMessage>;
  const template = templates.data.find((t) => t.id === templateId);
  const fields = instantiate.error instanceof ApiError ? instantiate.error.fields : [];
  const err = (path: string) => fieldMessage(fields, path);
  const input = (key: keyof typeof EMPTY, path: string, type = "text", hint?: string) => (
    <Field id={idOf(path)} label={LABELS[path]} error={err(path)} hint={hint}>
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
    <form onSubmit={submit} aria-label="Create from a template" className="flex flex-col gap-4" noValidate>
      {instantiate.error && (
        <ErrorSummary
          key={instantiate.submittedAt}
          message={fields.length > 0 ? "Nothing was created: fix these fields." : instantiate.error.message}
          fields={fields}
          labels={LABELS}
          idOf={idOf}
        />
      )}
      {created && (
        <Notice>
          Created {created.tasks.length} tasks:{" "}
          {created.tasks.map((t, i) => (
            <span key={t.id}>
              {i > 0 && " → "}
              <Link href={`/tasks/${t.id}`} className="font-mono underline">
                {t.id}
              </Link>
            </span>
          ))}
          .{" "}
          <Link href={graphHref} className="underline">
            See the chain in the graph
          </Link>
          .
        </Notice>
      )}
      <div className="panel grid gap-3 p-4 sm:grid-cols-2">
        <Field label="Template" required hint={template?.description}>
          {(props) => (
            <select
              {...props}
              value={templateId}
              onChange={(e) => setTemplateId(e.target.value)}
              className="input"
              required
            >
              <option value="">Choose a template</option>
              {templates.data.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {template?.tasks && (
          <div>
            <p className="label">Chain</p>
            <ol className="mt-1 list-decimal pl-5 text-sm">
              {template.tasks.map((t) => (
                <li key={t.key}>
                  {t.definition.title} <span className="muted">({t.definition.skill_target})</span>
                  {t.blocked_by?.length ? (
                    <span className="muted"> after {t.blocked_by.join(", ")}</span>
                  ) : null}
                </li>
              ))}
            </ol>
          </div>
        )}
        {input("intake_id", "intake_id", "text", "Groups the chain (INK-…); the graph can show it whole")}
        {input("factors", "priority.factors", "text", "Comma-separated")}
        {input("client_name", "context.client.name")}
        {input("client_contact", "context.client.contact")}
        {input("project_type", "context.project.type")}
        {input("budget_range", "context.project.budget_range")}
        {input("project_deadline", "context.project.deadline", "date")}
      </div>
      <div>
        <button type="submit" className="btn-primary" disabled={!templateId || instantiate.isPending}>
          {instantiate.isPending ? "Creating…" : "Create the chain"}
        </button>
      </div>
    </form>
  );
}
