"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import type { SeedTask } from "@/lib/seed-format";
import { ApiError, isConflict } from "../api-client";
import { parseDecimal } from "../forms/decimal";
import { KnownValueField } from "../forms/known-value-field";
import { useKnownValues } from "../forms/known-values";
import { Field, fieldMessage } from "../ui/field";
import { ErrorMessage } from "../ui/page";
import { useCommandErrorMessage, useTaskCommand } from "./use-task-command";

/** The editable fields (PATCH /api/v1/tasks/{id}), flat, as the form holds them. */
const FIELDS = [
  { key: "title", path: "definition.title", required: true },
  { key: "description", path: "definition.description", multiline: true },
  { key: "type", path: "definition.type" },
  { key: "skill_target", path: "definition.skill_target" },
  { key: "entry_point", path: "definition.entry_point" },
  {
    key: "estimated_duration_hours",
    path: "execution.estimated_duration_hours",
    number: true,
  },
  { key: "assigned_to", path: "execution.assigned_to" },
  { key: "client_name", path: "context.client.name" },
  { key: "client_contact", path: "context.client.contact" },
  { key: "project_type", path: "context.project.type" },
  { key: "budget_range", path: "context.project.budget_range" },
  { key: "project_deadline", path: "context.project.deadline", date: true },
] as const;

type Key = (typeof FIELDS)[number]["key"];
type Values = Record<Key, string>;

function valuesOf(task: SeedTask): Values {
  return {
    title: task.definition.title,
    description: task.definition.description,
    type: task.definition.type,
    skill_target: task.definition.skill_target,
    entry_point: task.definition.entry_point,
    estimated_duration_hours: task.execution.estimated_duration_hours?.toString() ?? "",
    assigned_to: task.execution.assigned_to ?? "",
    client_name: task.context.client.name ?? "",
    client_contact: task.context.client.contact ?? "",
    project_type: task.context.project.type ?? "",
    budget_range: task.context.project.budget_range ?? "",
    project_deadline: task.context.project.deadline?.slice(0, 10) ?? "",
  };
}

/** Only what changed, nested as the API expects; empty optional fields are cleared with null. */
export function patchOf(base: Values, values: Values, version: number) {
  const changed = (k: Key) => values[k] !== base[k];
  const text = (k: Key) => values[k].trim();
  const orNull = (k: Key) => text(k) || null;
  const definition: Record<string, string> = {};
  for (const k of ["title", "description", "type", "skill_target", "entry_point"] as const) {
    if (changed(k)) definition[k] = text(k);
  }
  const execution: Record<string, number | string | null> = {};
  if (changed("estimated_duration_hours")) {
    // "3,5" is 3.5 in either language; what is not a number goes as typed, for the server to name.
    const hours = text("estimated_duration_hours");
    execution.estimated_duration_hours = hours ? (parseDecimal(hours) ?? hours) : null;
  }
  if (changed("assigned_to")) execution.assigned_to = orNull("assigned_to");
  const client: Record<string, string | null> = {};
  if (changed("client_name")) client.name = orNull("client_name");
  if (changed("client_contact")) client.contact = orNull("client_contact");
  const project: Record<string, string | null> = {};
  if (changed("project_type")) project.type = orNull("project_type");
  if (changed("budget_range")) project.budget_range = orNull("budget_range");
  if (changed("project_deadline")) project.deadline = orNull("project_deadline");
  const some = (o: object) => Object.keys(o).length > 0;
  const context = {
    ...(some(client) ? { client } : {}),
    ...(some(project) ? { project } : {}),
  };
  return {
    expected_version: version,
    ...(some(definition) ? { definition } : {}),
    ...(some(execution) ? { execution } : {}),
    ...(some(context) ? { context } : {}),
  };
}

/**
 * Edit a task's definition, execution and context. The form is based on the version it opened
 * with: if someone changed the task meanwhile the server refuses (409) and nothing is lost — the
 * person may reload the current values.
 */
export function TaskEditForm({ task, onDone }: { task: SeedTask; onDone: () => void }) {
  const [base, setBase] = useState(() => ({ values: valuesOf(task), version: task.metadata.version }));
  const [values, setValues] = useState<Values>(base.values);
  const command = useTaskCommand(task.id);
  const t = useTranslations("task");
  const tf = useTranslations("fields");
  const commandErrorMessage = useCommandErrorMessage();
  const known = useKnownValues();
  // Skill, type and assignee are chosen among the values in use, or an explicit "New…".
  const knownOptions: Partial<Record<Key, string[]>> = {
    type: known.types,
    skill_target: known.skills,
    assigned_to: known.assignees,
  };
  const fields = command.error instanceof ApiError ? command.error.fields : [];
  const conflict = isConflict(command.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    command.mutate(
      { path: "", method: "PATCH", body: patchOf(base.values, values, base.version) },
      {
        onSuccess: onDone,
      },
    );
  }

  function reloadCurrent() {
    const current = { values: valuesOf(task), version: task.metadata.version };
    setBase(current);
    setValues(current.values);
    command.reset();
  }

  return (
    <form onSubmit={submit} aria-label={t("editLabel")} className="panel flex flex-col gap-3 p-4" noValidate>
      <h2 className="text-sm font-semibold">{t("editTitle", { version: base.version })}</h2>
      <div className="grid gap-3 sm:grid-cols-2">
        {FIELDS.map((f) =>
          knownOptions[f.key] ? (
            <KnownValueField
              key={f.key}
              id={`edit-${f.key}`}
              label={tf(f.key)}
              error={fieldMessage(fields, f.path)}
              value={values[f.key]}
              options={knownOptions[f.key]!}
              onChange={(value) => setValues({ ...values, [f.key]: value })}
            />
          ) : (
            <Field
              key={f.key}
              label={tf(f.key)}
              required={"required" in f}
              error={fieldMessage(fields, f.path)}
              className={"multiline" in f ? "sm:col-span-2" : ""}
            >
              {(props) =>
                "multiline" in f ? (
                  <textarea
                    {...props}
                    rows={3}
                    value={values[f.key]}
                    onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
                    className="input"
                  />
                ) : (
                  <input
                    {...props}
                    type={"date" in f ? "date" : "text"}
                    inputMode={"number" in f ? "decimal" : undefined}
                    value={values[f.key]}
                    onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
                    className="input"
                  />
                )
              }
            </Field>
          ),
        )}
      </div>
      {command.error && (
        <div className="flex flex-wrap items-center gap-2" data-testid="edit-error">
          <ErrorMessage>
            {conflict
              ? t("conflict", { version: task.metadata.version })
              : fields.length > 0
                ? t("fixFields")
                : commandErrorMessage(command.error)}
          </ErrorMessage>
          {conflict && (
            <button type="button" className="btn-secondary" onClick={reloadCurrent}>
              {t("loadCurrent")}
            </button>
          )}
        </div>
      )}
      <div className="flex gap-2">
        <button type="submit" className="btn-primary" disabled={command.isPending}>
          {t("save")}
        </button>
        <button type="button" className="btn-secondary" onClick={onDone}>
          {t("close")}
        </button>
      </div>
    </form>
  );
}
