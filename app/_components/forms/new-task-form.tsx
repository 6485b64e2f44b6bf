"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { type FormEvent, type ReactNode, useState } from "react";
import type { FieldError } from "@/lib/field-error";
import { QUEUE_NAMES } from "@/lib/queues";
import type { SeedTask } from "@/lib/seed-format";
import { ApiError, apiSend, errorMessage } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { fetchTask, fetchTasks } from "../data/use-task";
import { Field, fieldMessage } from "../ui/field";
import { useQueueLabel } from "../ui/labels";
import { Notice } from "../ui/page";
import { TaskPicker } from "../ui/task-picker";
import { ErrorSummary } from "./error-summary";
import { KnownValueField } from "./known-value-field";
import { useKnownValues } from "./known-values";
import {
  EMPTY_TASK_FORM,
  fieldLabels,
  TASK_FIELD_KEYS,
  type TaskFormValues,
  toCreateInput,
} from "./task-form-model";
import { resolveTaskRef, type TaskLookup } from "./task-ref";

const idOf = (path: string) => `task-${path.replace(/\./g, "-")}`;

/** How the form looks a typed-but-not-picked task up: the same API the picker searches. */
const LOOKUP: TaskLookup = {
  byId: (id) =>
    fetchTask(id).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }),
  search: (text) => fetchTasks({ q: text, limit: 5 }).then((page) => page.tasks),
};

function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="panel grid gap-3 p-4 sm:grid-cols-2">
      <legend className="px-1 text-sm font-semibold">{legend}</legend>
      {children}
    </fieldset>
  );
}

function Chips({ ids, onRemove, label }: { ids: string[]; onRemove: (id: string) => void; label: string }) {
  const t = useTranslations("forms");
  if (ids.length === 0) return null;
  return (
    <ul className="mt-2 flex flex-wrap gap-2" aria-label={label}>
      {ids.map((id) => (
        <li
          key={id}
          className="inline-flex items-center gap-1 rounded-full bg-slate-200 py-0.5 pr-1 pl-2 font-mono text-xs dark:bg-slate-700"
        >
          {id}
          <button
            type="button"
            className="rounded-full px-1.5 hover:bg-slate-300 dark:hover:bg-slate-600"
            onClick={() => onRemove(id)}
            aria-label={t("remove", { id })}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** What was typed into the two task pickers and not picked yet. */
interface Drafts {
  blocked_by: string;
  parent_task: string;
}
const NO_DRAFTS: Drafts = { blocked_by: "", parent_task: "" };

/**
 * Manual task creation with every writable field of the seed format. Nothing typed is lost: a
 * decimal reads in either language, and a task typed into "Blocked by" or "Parent task" without
 * being picked is resolved on submit, or the form refuses and names it (forms/task-ref.ts).
 */
export function NewTaskForm() {
  const queryClient = useQueryClient();
  const t = useTranslations("forms");
  const tf = useTranslations("fields");
  const queueLabel = useQueueLabel();
  const known = useKnownValues();
  const [values, setValues] = useState<TaskFormValues>(EMPTY_TASK_FORM);
  const [drafts, setDrafts] = useState<Drafts>(NO_DRAFTS);
  const [refErrors, setRefErrors] = useState<FieldError[]>([]);
  const [created, setCreated] = useState<SeedTask | null>(null);
  const create = useMutation({
    mutationFn: (input: TaskFormValues) => apiSend<{ task: SeedTask }>("/api/v1/tasks", toCreateInput(input)),
    onSuccess: ({ task }) => {
      setCreated(task);
      setValues(EMPTY_TASK_FORM);
      setDrafts(NO_DRAFTS);
      void queryClient.invalidateQueries({ queryKey: queryKeys.board });
    },
  });
  const serverFields = create.error instanceof ApiError ? create.error.fields : [];
  const fields = refErrors.length > 0 ? refErrors : serverFields;
  const err = (path: string) => fieldMessage(fields, path);
  const set = (key: keyof TaskFormValues) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));
  const labels = fieldLabels(tf);

  /** The pickers' leftover text, as task ids: resolved, or the reasons they cannot be. */
  async function resolveDrafts(): Promise<{ values: TaskFormValues; errors: FieldError[] }> {
    const next = { ...values, blocked_by: [...values.blocked_by] };
    const errors: FieldError[] = [];
    for (const key of ["blocked_by", "parent_task"] as const) {
      const text = drafts[key].trim();
      if (!text) continue;
      const path = `dependencies.${key}`;
      try {
        const found = await resolveTaskRef(text, LOOKUP);
        if (!found.ok)
          errors.push({
            path,
            message: t(`ref.${found.reason}`, { text, count: "count" in found ? found.count : 0 }),
          });
        else if (key === "parent_task") next.parent_task = found.id;
        else if (!next.blocked_by.includes(found.id)) next.blocked_by.push(found.id);
      } catch (error) {
        errors.push({ path, message: t("ref.lookupFailed", { text, message: errorMessage(error) }) });
      }
    }
    return { values: next, errors };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    create.reset();
    const resolved = await resolveDrafts();
    setRefErrors(resolved.errors);
    if (resolved.errors.length > 0) return;
    setValues(resolved.values);
    setDrafts(NO_DRAFTS);
    create.mutate(resolved.values);
  }

  const label = (path: string) => tf(TASK_FIELD_KEYS[path]!);
  const text = (
    key: keyof TaskFormValues,
    path: string,
    extra: { required?: boolean; hint?: string } = {},
  ) => (
    <Field id={idOf(path)} label={label(path)} error={err(path)} {...extra}>
      {(props) => (
        <input {...props} type="text" value={values[key] as string} onChange={set(key)} className="input" />
      )}
    </Field>
  );
  const knownValue = (
    key: "type" | "skill_target" | "assigned_to",
    path: string,
    options: string[],
    hint?: string,
  ) => (
    <KnownValueField
      id={idOf(path)}
      label={label(path)}
      hint={hint}
      error={err(path)}
      value={values[key]}
      options={options}
      onChange={(value) => setValues((v) => ({ ...v, [key]: value }))}
    />
  );

  return (
    <form onSubmit={submit} aria-label={t("createLabel")} className="flex flex-col gap-4" noValidate>
      {(refErrors.length > 0 || create.error) && (
        <ErrorSummary
          key={`${create.submittedAt}-${refErrors.length}`}
          message={fields.length > 0 ? t("notCreated") : (create.error?.message ?? "")}
          fields={fields}
          labels={labels}
          idOf={idOf}
        />
      )}
      {created && (
        <Notice>
          {t.rich("created", {
            id: created.id,
            title: created.definition.title,
            queue: queueLabel(created.queue.name),
            link: (chunks) => (
              <Link href={`/tasks/${created.id}`} className="font-mono underline">
                {chunks}
              </Link>
            ),
          })}{" "}
          <Link href={`/graph?task=${created.id}`} className="underline">
            {t("seeInGraph")}
          </Link>
          .
        </Notice>
      )}
      <Fieldset legend={t("legends.definition")}>
        {text("title", "definition.title", { required: true })}
        {knownValue("type", "definition.type", known.types, t("hints.type"))}
        <Field
          id={idOf("definition.description")}
          label={label("definition.description")}
          error={err("definition.description")}
          className="sm:col-span-2"
        >
          {(props) => (
            <textarea
              {...props}
              rows={4}
              value={values.description}
              onChange={set("description")}
              className="input"
            />
          )}
        </Field>
        {knownValue("skill_target", "definition.skill_target", known.skills, t("hints.skill"))}
        {text("entry_point", "definition.entry_point", { hint: t("hints.entryPoint") })}
      </Fieldset>

      <Fieldset legend={t("legends.queue")}>
        <Field
          id={idOf("queue.name")}
          label={label("queue.name")}
          error={err("queue.name")}
          hint={t("hints.queue")}
        >
          {(props) => (
            <select {...props} value={values.queue} onChange={set("queue")} className="input">
              <option value="">{t("derive")}</option>
              {QUEUE_NAMES.map((q) => (
                <option key={q} value={q}>
                  {queueLabel(q)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {values.queue === "scheduled" ? (
          <Field
            id={idOf("queue.scheduled_for")}
            label={label("queue.scheduled_for")}
            error={err("queue.scheduled_for")}
            required
          >
            {(props) => (
              <input
                {...props}
                type="datetime-local"
                value={values.scheduled_for}
                onChange={set("scheduled_for")}
                className="input"
              />
            )}
          </Field>
        ) : (
          <div aria-hidden />
        )}
        <Field
          id={idOf("priority.score")}
          label={label("priority.score")}
          error={err("priority.score")}
          hint={t("hints.score")}
        >
          {(props) => (
            <input
              {...props}
              type="text"
              inputMode="numeric"
              value={values.score}
              onChange={set("score")}
              className="input"
            />
          )}
        </Field>
        {text("factors", "priority.factors", { hint: t("hints.factors") })}
      </Fieldset>

      <Fieldset legend={t("legends.execution")}>
        <Field
          id={idOf("execution.estimated_duration_hours")}
          label={label("execution.estimated_duration_hours")}
          error={err("execution.estimated_duration_hours")}
          hint={t("hints.hours")}
        >
          {(props) => (
            <input
              {...props}
              type="text"
              inputMode="decimal"
              value={values.estimated_duration_hours}
              onChange={set("estimated_duration_hours")}
              className="input"
            />
          )}
        </Field>
        {knownValue("assigned_to", "execution.assigned_to", known.assignees, t("hints.assignee"))}
      </Fieldset>

      <Fieldset legend={t("legends.dependencies")}>
        <Field
          id={idOf("dependencies.blocked_by")}
          label={label("dependencies.blocked_by")}
          error={err("dependencies.blocked_by")}
          hint={t("hints.blockedBy")}
        >
          {(props) => (
            <div>
              <TaskPicker
                {...props}
                exclude={values.blocked_by}
                text={drafts.blocked_by}
                onTextChange={(blocked_by) => setDrafts((d) => ({ ...d, blocked_by }))}
                onPick={(task) => setValues((v) => ({ ...v, blocked_by: [...v.blocked_by, task.id] }))}
              />
              <Chips
                ids={values.blocked_by}
                label={t("chosenBlockers")}
                onRemove={(id) =>
                  setValues((v) => ({ ...v, blocked_by: v.blocked_by.filter((b) => b !== id) }))
                }
              />
            </div>
          )}
        </Field>
        <Field
          id={idOf("dependencies.parent_task")}
          label={label("dependencies.parent_task")}
          error={err("dependencies.parent_task")}
        >
          {(props) => (
            <div>
              {values.parent_task ? (
                <Chips
                  ids={[values.parent_task]}
                  label={t("chosenParent")}
                  onRemove={() => setValues((v) => ({ ...v, parent_task: "" }))}
                />
              ) : (
                <TaskPicker
                  {...props}
                  text={drafts.parent_task}
                  onTextChange={(parent_task) => setDrafts((d) => ({ ...d, parent_task }))}
                  onPick={(task) => setValues((v) => ({ ...v, parent_task: task.id }))}
                />
              )}
            </div>
          )}
        </Field>
      </Fieldset>

      <Fieldset legend={t("legends.context")}>
        {text("client_name", "context.client.name")}
        {text("client_contact", "context.client.contact")}
        {text("project_type", "context.project.type")}
        {text("budget_range", "context.project.budget_range", { hint: t("hints.budget") })}
        <Field
          id={idOf("context.project.deadline")}
          label={label("context.project.deadline")}
          error={err("context.project.deadline")}
        >
          {(props) => (
            <input
              {...props}
              type="date"
              value={values.project_deadline}
              onChange={set("project_deadline")}
              className="input"
            />
          )}
        </Field>
        {text("intake_id", "intake_id", { hint: t("hints.intake") })}
      </Fieldset>

      <div className="flex gap-2">
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? t("creating") : t("create")}
        </button>
        <button
          type="reset"
          className="btn-secondary"
          onClick={() => {
            setValues(EMPTY_TASK_FORM);
            setDrafts(NO_DRAFTS);
            setRefErrors([]);
          }}
        >
          {t("clear")}
        </button>
      </div>
    </form>
  );
}
