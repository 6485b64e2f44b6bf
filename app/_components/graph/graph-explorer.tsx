"use client";

import Link from "next/link";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../api-client";
import { useUrlParams } from "../hooks/use-url-params";
import { useCan } from "../session/session-context";
import { ErrorMessage, Loading, Notice } from "../ui/page";
import { STATE_LABELS, StateBadge } from "../ui/state-badge";
import { TaskPicker } from "../ui/task-picker";
import { DependencyGraph } from "./dependency-graph";
import type { GraphModel } from "./graph-model";
import { type GraphScope, useDependencyEdit, useGraph } from "./use-graph";

const PARAMS = ["task", "intake"] as const;

/** What the graph shows: a task's neighbourhood (?task=) or a whole intake (?intake=). */
export function GraphExplorer() {
  const [params, setParams] = useUrlParams(PARAMS);
  const scope: GraphScope | null = params.task
    ? { mode: "task", id: params.task }
    : params.intake
      ? { mode: "intake", id: params.intake }
      : null;
  const graph = useGraph(scope);
  const edit = useDependencyEdit();
  const editable = useCan("tasks:edit");
  const [notice, setNotice] = useState<string | null>(null);

  function connect(blocker: string, dependent: string) {
    setNotice(null);
    edit.mutate(
      { blocker, dependent },
      { onSuccess: () => setNotice(`${dependent} now waits on ${blocker}.`) },
    );
  }
  function remove(blocker: string, dependent: string) {
    setNotice(null);
    edit.mutate(
      { blocker, dependent, remove: true },
      { onSuccess: () => setNotice(`${dependent} no longer waits on ${blocker}.`) },
    );
  }

  return (
    <div className="flex flex-col gap-3 px-4 pb-8">
      <ScopePicker
        onTask={(id) => setParams({ task: id, intake: null })}
        onIntake={(id) => setParams({ intake: id, task: null })}
        intake={params.intake}
      />
      {scope && (
        <p className="text-sm">
          Showing {scope.mode === "task" ? "the neighbourhood of " : "intake "}
          <span className="font-mono">{scope.id}</span>
          {scope.mode === "task" && (
            <>
              {" "}
              (<Link href={`/tasks/${scope.id}`}>open the task</Link>)
            </>
          )}
          .{" "}
          {editable &&
            "Drag from a task's right dot to another's left dot to make it wait; select an arrow and press Delete to remove it."}
        </p>
      )}
      {edit.error && (
        <ErrorMessage>
          {edit.error.message.toLowerCase().includes("cycle")
            ? `Refused: ${errorMessage(edit.error)}`
            : `The dependency was not changed: ${errorMessage(edit.error)}`}
        </ErrorMessage>
      )}
      {notice && !edit.error && <Notice>{notice}</Notice>}
      {!scope ? (
        <p className="muted text-sm">Pick a task or an intake to see its dependencies.</p>
      ) : graph.isPending ? (
        <Loading what="the graph" />
      ) : graph.error ? (
        <ErrorMessage>Could not load the graph: {graph.error.message}</ErrorMessage>
      ) : graph.data.tasks.length === 0 ? (
        <p className="muted text-sm">No tasks found for {scope.id}.</p>
      ) : (
        <>
          <DependencyGraph
            model={graph.data}
            rootId={scope.mode === "task" ? scope.id : null}
            editable={editable}
            onConnect={connect}
            onRemove={remove}
          />
          <Legend />
          <EdgeList model={graph.data} editable={editable} onConnect={connect} onRemove={remove} />
        </>
      )}
    </div>
  );
}

function ScopePicker({
  onTask,
  onIntake,
  intake,
}: {
  onTask: (id: string) => void;
  onIntake: (id: string) => void;
  intake: string | undefined;
}) {
  const [text, setText] = useState(intake ?? "");
  function submit(event: FormEvent) {
    event.preventDefault();
    if (text.trim()) onIntake(text.trim());
  }
  return (
    <div className="flex flex-wrap items-end gap-4">
      <div className="w-80">
        <TaskPicker label="Show a task's neighbourhood" onPick={(t) => onTask(t.id)} />
      </div>
      <form onSubmit={submit} className="flex items-end gap-2">
        <label className="flex flex-col gap-1">
          <span className="label">or a whole intake</span>
          <input
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="INK-…"
            className="input w-48"
          />
        </label>
        <button type="submit" className="btn-secondary">
          Show intake
        </button>
      </form>
    </div>
  );
}

function Legend() {
  return (
    <details className="text-sm">
      <summary className="cursor-pointer">Legend</summary>
      <div className="mt-2 flex flex-wrap gap-2">
        {(Object.keys(STATE_LABELS) as (keyof typeof STATE_LABELS)[]).map((s) => (
          <StateBadge key={s} state={s} />
        ))}
        <span className="muted">Animated arrow: still waiting; grey arrow: the blocker is done.</span>
      </div>
    </details>
  );
}

/** The same edges as a list: keyboard and screen-reader users edit dependencies here. */
function EdgeList({
  model,
  editable,
  onConnect,
  onRemove,
}: {
  model: GraphModel;
  editable: boolean;
  onConnect: (blocker: string, dependent: string) => void;
  onRemove: (blocker: string, dependent: string) => void;
}) {
  const [dependent, setDependent] = useState(model.tasks[0]?.id ?? "");
  return (
    <section aria-labelledby="edge-list" className="panel p-4">
      <h2 id="edge-list" className="mb-2 text-sm font-semibold">
        Dependencies shown ({model.edges.length})
      </h2>
      {model.edges.length === 0 ? (
        <p className="muted text-sm">No dependencies between these tasks.</p>
      ) : (
        <ul className="flex flex-col gap-1 text-sm" data-testid="edge-list">
          {model.edges.map((e) => (
            <li key={e.id} className="flex flex-wrap items-center gap-2">
              <span>
                <Link href={`/tasks/${e.target}`} className="font-mono text-xs">
                  {e.target}
                </Link>{" "}
                waits on{" "}
                <Link href={`/tasks/${e.source}`} className="font-mono text-xs">
                  {e.source}
                </Link>
              </span>
              {e.satisfied && <span className="muted">(done)</span>}
              {editable && (
                <button
                  type="button"
                  className="btn-ghost py-0 text-xs"
                  onClick={() => onRemove(e.source, e.target)}
                  aria-label={`Remove: ${e.target} waits on ${e.source}`}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <div className="mt-3 flex flex-wrap items-end gap-2">
          <label className="flex flex-col gap-1">
            <span className="label">Task</span>
            <select value={dependent} onChange={(e) => setDependent(e.target.value)} className="input w-56">
              {model.tasks.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.id} {t.definition.title}
                </option>
              ))}
            </select>
          </label>
          <div className="w-72">
            <TaskPicker label="waits on" exclude={[dependent]} onPick={(t) => onConnect(t.id, dependent)} />
          </div>
        </div>
      )}
    </section>
  );
}
