"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { errorMessage } from "../api-client";
import { useBoard } from "../data/use-board";
import { useUrlParams } from "../hooks/use-url-params";
import { useCan } from "../session/session-context";
import { ErrorMessage, Loading, Notice } from "../ui/page";
import { STATE_NAMES, StateBadge } from "../ui/state-badge";
import { TaskPicker } from "../ui/task-picker";
import { DependencyGraph } from "./dependency-graph";
import { type GraphModel, recentActiveIntakes } from "./graph-model";
import { type GraphScope, useDependencyEdit, useGraph } from "./use-graph";

const PARAMS = ["task", "intake"] as const;

/** What the graph shows: a task's neighbourhood (?task=) or a whole intake (?intake=). */
export function GraphExplorer() {
  const [params, setParams] = useUrlParams(PARAMS);
  const board = useBoard();
  const recent = recentActiveIntakes(board.data?.cards ?? []);
  // Opened without a task or an intake, the page shows the most recently active chain.
  const scope: GraphScope | null = params.task
    ? { mode: "task", id: params.task }
    : params.intake
      ? { mode: "intake", id: params.intake }
      : recent[0]
        ? { mode: "intake", id: recent[0] }
        : null;
  const graph = useGraph(scope);
  const edit = useDependencyEdit();
  const editable = useCan("tasks:edit");
  const [notice, setNotice] = useState<string | null>(null);
  const t = useTranslations("graph");
  const tc = useTranslations("common");

  function connect(blocker: string, dependent: string) {
    setNotice(null);
    edit.mutate(
      { blocker, dependent },
      { onSuccess: () => setNotice(t("nowWaits", { dependent, blocker })) },
    );
  }
  function remove(blocker: string, dependent: string) {
    setNotice(null);
    edit.mutate(
      { blocker, dependent, remove: true },
      { onSuccess: () => setNotice(t("noLonger", { dependent, blocker })) },
    );
  }

  return (
    <div className="flex flex-col gap-3 px-4 pb-8">
      <ScopePicker
        onTask={(id) => setParams({ task: id, intake: null })}
        onIntake={(id) => setParams({ intake: id, task: null })}
        intake={params.intake}
      />
      {recent.length > 0 && (
        <nav
          aria-label={t("recent")}
          className="flex flex-wrap items-center gap-2 text-sm"
          data-testid="recent-chains"
        >
          <span className="muted">{t("recent")}</span>
          {recent.map((intake) => (
            <button
              key={intake}
              type="button"
              aria-pressed={scope?.mode === "intake" && scope.id === intake}
              className={
                scope?.mode === "intake" && scope.id === intake
                  ? "btn-primary py-0.5"
                  : "btn-secondary py-0.5"
              }
              onClick={() => setParams({ intake, task: null })}
            >
              <span className="font-mono text-xs">{intake}</span>
            </button>
          ))}
        </nav>
      )}
      {scope && (
        <p className="text-sm">
          {t.rich(scope.mode === "task" ? "showingTask" : "showingIntake", {
            id: () => <span className="font-mono">{scope.id}</span>,
          })}
          {scope.mode === "task" && (
            <>
              {" "}
              (<Link href={`/tasks/${scope.id}`}>{t("openTask")}</Link>)
            </>
          )}
          . {editable && t("editHelp")}
        </p>
      )}
      {edit.error && (
        <ErrorMessage>
          {edit.error.message.toLowerCase().includes("cycle")
            ? t("refused", { message: errorMessage(edit.error) })
            : t("notChanged", { message: errorMessage(edit.error) })}
        </ErrorMessage>
      )}
      {notice && !edit.error && <Notice>{notice}</Notice>}
      {!scope ? (
        <p className="muted text-sm">{t("pick")}</p>
      ) : graph.isPending ? (
        <Loading what={t("loading")} />
      ) : graph.error ? (
        <ErrorMessage>{tc("couldNotLoad", { what: t("what"), message: graph.error.message })}</ErrorMessage>
      ) : graph.data.tasks.length === 0 ? (
        <p className="muted text-sm">{t("noTasks", { id: scope.id })}</p>
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
  const t = useTranslations("graph");
  const [text, setText] = useState(intake ?? "");
  function submit(event: FormEvent) {
    event.preventDefault();
    if (text.trim()) onIntake(text.trim());
  }
  return (
    <div className="flex flex-wrap items-end gap-4">
      <div className="w-80">
        <TaskPicker label={t("neighbourhood")} onPick={(t) => onTask(t.id)} />
      </div>
      <form onSubmit={submit} className="flex items-end gap-2">
        <label className="flex flex-col gap-1">
          <span className="label">{t("wholeIntake")}</span>
          <input
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="INK-…"
            className="input w-48"
          />
        </label>
        <button type="submit" className="btn-secondary">
          {t("showIntake")}
        </button>
      </form>
    </div>
  );
}

function Legend() {
  const t = useTranslations("graph");
  return (
    <details className="text-sm">
      <summary className="cursor-pointer">{t("legend")}</summary>
      <div className="mt-2 flex flex-wrap gap-2">
        {STATE_NAMES.map((s) => (
          <StateBadge key={s} state={s} />
        ))}
        <span className="muted">{t("legendArrows")}</span>
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
  const t = useTranslations("graph");
  const [dependent, setDependent] = useState(model.tasks[0]?.id ?? "");
  return (
    <section aria-labelledby="edge-list" className="panel p-4">
      <h2 id="edge-list" className="mb-2 text-sm font-semibold">
        {t("shown", { count: model.edges.length })}
      </h2>
      {model.edges.length === 0 ? (
        <p className="muted text-sm">{t("none")}</p>
      ) : (
        <ul className="flex flex-col gap-1 text-sm" data-testid="edge-list">
          {model.edges.map((e) => (
            <li key={e.id} className="flex flex-wrap items-center gap-2">
              <span>
                {t.rich("waitsOn", {
                  dependent: () => (
                    <Link href={`/tasks/${e.target}`} className="font-mono text-xs">
                      {e.target}
                    </Link>
                  ),
                  blocker: () => (
                    <Link href={`/tasks/${e.source}`} className="font-mono text-xs">
                      {e.source}
                    </Link>
                  ),
                })}
              </span>
              {e.satisfied && <span className="muted">{t("done")}</span>}
              {editable && (
                <button
                  type="button"
                  className="btn-ghost py-0 text-xs"
                  onClick={() => onRemove(e.source, e.target)}
                  aria-label={t("removeLabel", { dependent: e.target, blocker: e.source })}
                >
                  {t("remove")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <div className="mt-3 flex flex-wrap items-end gap-2">
          <label className="flex flex-col gap-1">
            <span className="label">{t("task")}</span>
            <select value={dependent} onChange={(e) => setDependent(e.target.value)} className="input w-56">
              {model.tasks.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.id} {t.definition.title}
                </option>
              ))}
            </select>
          </label>
          <div className="w-72">
            <TaskPicker
              label={t("waitsOnPicker")}
              exclude={[dependent]}
              onPick={(t) => onConnect(t.id, dependent)}
            />
          </div>
        </div>
      )}
    </section>
  );
}
