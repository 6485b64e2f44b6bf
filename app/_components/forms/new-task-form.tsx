"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, type ReactNode, useState } from "react";
import { QUEUE_NAMES } from "@/lib/queues";
import type { SeedTask } from "@/lib/seed-format";
import { ApiError, apiSend } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { Field, fieldMessage } from "../ui/field";
import { Notice } from "../ui/page";
import { TaskPicker } from "../ui/task-picker";
import { ErrorSummary } from "./error-summary";
import { EMPTY_TASK_FORM, TASK_FIELD_LABELS, type TaskFormValues, toCreateInput } from "./task-form-model";

const idOf = (path: string) => `task-${path.replace(/\./g, "-")}`;

function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="panel grid gap-3 p-4 sm:grid-cols-2">
      <legend className="px-1 text-sm font-semibold">{legend}</legend>
      {children}
    </fieldset>
  );
}

function Chips({ ids, onRemove, label }: { ids: string[]; onRemove: (id: string) => void; label: string }) {
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
            aria-label={`Remove ${id}`}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Manual task creation with every writable field of the seed format. */
export function NewTaskForm() {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<TaskFormValues>(EMPTY_TASK_FORM);
  const [created, setCreated] = useState<SeedTask | null>(null);
  const create = useMutation({
    mutationFn: (input: TaskFormValues) => apiSend<{ task: SeedTask }>("/api/v1/tasks", toCreateInput(input)),
    onSuccess: ({ task }) => {
      setCreated(task);
      setValues(EMPTY_TASK_FORM);
      void queryClient.invalidateQueries({ queryKey: queryKeys.board });
    },
  });
  const fields = create.error instanceof ApiError ? create.error.fields : [];
  const err = (path: string) => fieldMessage(fields, path);
  const set = (key: keyof TaskFormValues) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    create.mutate(values);
  }

  const text = (
    key: keyof TaskFormValues,
    path: string,
    extra: { required?: boolean; hint?: string } = {},
  ) => (
    <Field id={idOf(path)} label={TASK_FIELD_LABELS[path]} error={err(path)} {...extra}>
      {(props) => (
        <input {...props} type="text" value={values[key] as string} onChange={set(key)} className="input" />
      )}
    </Field>
  );

  return (
    <form onSubmit={submit} aria-label="Create a task" className="flex flex-col gap-4" noValidate>
      {create.error && (
        <ErrorSummary
          key={create.submittedAt}
          message={fields.length > 0 ? "The task was not created: fix these fields." : create.error.message}
          fields={fields}
          labels={TASK_FIELD_LABELS}
          idOf={idOf}
        />
      )}
      {created && (
        <Notice>
          Created{" "}
          <Link href={`/tasks/${created.id}`} className="font-mono underline">
            {created.id}
          </Link>{" "}
          “{created.definition.title}” in {created.queue.name}.{" "}
          <Link href={`/graph?task=${created.id}`} className="underline">
            See it in the graph
          </Link>
          .
        </Notice>
      )}
      <Fieldset legend="Definition">
        {text("title", "definition.title", { required: true })}
        {text("type", "definition.type", { hint: "e.g. analysis, development, review" })}
        <Field
          id={idOf("definition.description")}
          label="Description"
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
        {text("skill_target", "definition.skill_target", {
          hint: "The skill that executes it, e.g. frontend",
        })}
        {text("entry_point", "definition.entry_point", { hint: "e.g. avant-projet/brief-analysis" })}
      </Fieldset>

      <Fieldset legend="Queue and priority">
        <Field
          id={idOf("queue.name")}
          label="Queue"
          error={err("queue.name")}
          hint="Leave it to the priority score and factors, or choose one"
        >
          {(props) => (
            <select {...props} value={values.queue} onChange={set("queue")} className="input">
              <option value="">Derive from priority</option>
              {QUEUE_NAMES.map((q) => (
                <option key={q} value={q}>
                  {q}
                </option>
              ))}
            </select>
          )}
        </Field>
        {values.queue === "scheduled" ? (
          <Field
            id={idOf("queue.scheduled_for")}
            label="Planned for"
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
        <Field id={idOf("priority.score")} label="Priority score" error={err("priority.score")} hint="0-100">
          {(props) => (
            <input
              {...props}
              type="number"
              min={0}
              max={100}
              value={values.score}
              onChange={set("score")}
              className="input"
            />
          )}
        </Field>
        {text("factors", "priority.factors", { hint: "Comma-separated, e.g. vip_client, deadline_soon" })}
      </Fieldset>

      <Fieldset legend="Execution">
        <Field
          id={idOf("execution.estimated_duration_hours")}
          label="Estimated hours"
          error={err("execution.estimated_duration_hours")}
        >
          {(props) => (
            <input
              {...props}
              type="number"
              min={0}
              step="any"
              value={values.estimated_duration_hours}
              onChange={set("estimated_duration_hours")}
              className="input"
            />
          )}
        </Field>
        {text("assigned_to", "execution.assigned_to")}
      </Fieldset>

      <Fieldset legend="Dependencies">
        <Field
          id={idOf("dependencies.blocked_by")}
          label="Blocked by"
          error={err("dependencies.blocked_by")}
          hint="Search tasks by id or title; this task waits until they complete"
        >
          {(props) => (
            <div>
              <TaskPicker
                {...props}
                exclude={values.blocked_by}
                onPick={(t) => setValues((v) => ({ ...v, blocked_by: [...v.blocked_by, t.id] }))}
              />
              <Chips
                ids={values.blocked_by}
                label="Chosen blockers"
                onRemove={(id) =>
                  setValues((v) => ({ ...v, blocked_by: v.blocked_by.filter((b) => b !== id) }))
                }
              />
            </div>
          )}
        </Field>
        <Field
          id={idOf("dependencies.parent_task")}
          label="Parent task"
          error={err("dependencies.parent_task")}
        >
          {(props) => (
            <div>
              {values.parent_task ? (
                <Chips
                  ids={[values.parent_task]}
                  label="Chosen parent"
                  onRemove={() => setValues((v) => ({ ...v, parent_task: "" }))}
                />
              ) : (
                <TaskPicker {...props} onPick={(t) => setValues((v) => ({ ...v, parent_task: t.id }))} />
              )}
            </div>
          )}
        </Field>
      </Fieldset>

      <Fieldset legend="Context">
        {text("client_name", "context.client.name")}
        {text("client_contact", "context.client.contact")}
        {text("project_type", "context.project.type")}
        {text("budget_range", "context.project.budget_range", { hint: "e.g. 15-25k€" })}
        <Field
          id={idOf("context.project.deadline")}
          label="Project deadline"
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
        {text("intake_id", "intake_id", { hint: "The client-intake request it comes from (INK-…), if any" })}
      </Fieldset>

      <div className="flex gap-2">
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create task"}
        </button>
        <button type="reset" className="btn-secondary" onClick={() => setValues(EMPTY_TASK_FORM)}>
          Clear
        </button>
      </div>
    </form>
  );
}
