"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Command } from "cmdk";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import type { SeedTask } from "@/lib/seed-format";
import { TEMPLATES } from "@/lib/templates";
import { apiSend, errorMessage } from "../api-client";
import { queryKeys } from "../data/query-keys";
import { useCan, useSession } from "../session/session-context";
import { NAV_ITEMS } from "../shell/main-nav";
import { useFormat } from "../ui/format";
import { ErrorMessage, Notice } from "../ui/page";
import { StateBadge } from "../ui/state-badge";
import { ProposalForm } from "./proposal-form";
import { type Proposal, useCommandBarData } from "./use-command-bar-data";

interface CommandAnswer {
  status: string;
  message: string;
}

type View =
  | { kind: "search" }
  | { kind: "confirm"; proposal: Proposal; request: string }
  | { kind: "answer"; answer: CommandAnswer }
  | { kind: "created"; tasks: SeedTask[]; intake: string | null };

/** The board filtered to what was just created: its intake, else its client. */
function boardHref(tasks: SeedTask[], intake: string | null): string {
  if (intake) return `/?intake=${encodeURIComponent(intake)}`;
  const client = tasks[0]?.context.client.name;
  return client ? `/?client=${encodeURIComponent(client)}` : "/";
}

const INTAKE_ID = /^INK-[\w-]+$/i;

/** Ctrl-K / ⌘-K anywhere opens the bar; the header's button too. */
function useShortcut(toggle: () => void) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        toggle();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [toggle]);
}

/**
 * The command bar (cmdk): jump to a task, client, intake or page; run the free-text router in
 * French or English (POST /api/v1/commands); or create work from a sentence — the proposal
 * (POST /api/v1/commands/propose-work) is shown for a person to complete and confirm, then the
 * template is instantiated. Every action goes through the API with the person's permissions.
 */
export function CommandBar() {
  const t = useTranslations("commandBar");
  const tn = useTranslations("nav");
  const tt = useTranslations("templates");
  const format = useFormat();
  const router = useRouter();
  const queryClient = useQueryClient();
  const canRun = useCan("commands:run");
  const canPropose = useCan("templates:use");
  const canRead = useCan("tasks:read");
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [view, setView] = useState<View>({ kind: "search" });
  const data = useCommandBarData(open ? text : "", { canPropose, open });
  const { permissions: held } = useSession();
  const allowedPages = NAV_ITEMS.filter((item) => held.includes(item.permission));
  const toggle = () => setOpen((o) => !o);
  useShortcut(toggle);

  const run = useMutation({
    mutationFn: (command: string) => apiSend<CommandAnswer>("/api/v1/commands", { text: command }),
    onSuccess: (answer) => {
      setView({ kind: "answer", answer });
      void queryClient.invalidateQueries({ queryKey: queryKeys.board });
    },
  });

  function close() {
    setOpen(false);
    setText("");
    setView({ kind: "search" });
    run.reset();
  }
  function go(href: string) {
    close();
    router.push(href);
  }

  const needle = data.query.toLowerCase();
  // The intakes on the board that match, and one typed in full even when it is not on the board.
  const typedIntake = INTAKE_ID.test(data.query) ? data.query.toUpperCase() : null;
  const intakes = [...new Set([...(typedIntake ? [typedIntake] : []), ...data.intakes])];
  const pages = allowedPages.filter((item) => !needle || tn(item.label).toLowerCase().includes(needle));
  const templateName = (id: string) =>
    tt.has(`${id}.name` as "ecommerce-redesign.name")
      ? tt(`${id}.name` as "ecommerce-redesign.name")
      : (TEMPLATES.find((x) => x.id === id)?.name ?? id);
  const proposalDetails = (p: Proposal) =>
    [
      p.context.client.name && t("client", { value: p.context.client.name }),
      p.context.project.budget_range && t("budget", { value: p.context.project.budget_range }),
      p.context.project.deadline && t("deadline", { value: format.date(p.context.project.deadline) }),
    ]
      .filter(Boolean)
      .join(" · ");

  return (
    <>
      <button
        type="button"
        className="btn-secondary hidden items-center gap-2 text-sm md:inline-flex"
        onClick={() => setOpen(true)}
        data-testid="command-bar-open"
      >
        <span className="muted">{t("open")}</span>
        <kbd className="rounded border border-slate-300 px-1 text-xs dark:border-slate-600">
          {t("shortcut")}
        </kbd>
      </button>
      <Command.Dialog
        open={open}
        onOpenChange={(next) => (next ? setOpen(true) : close())}
        label={t("label")}
        shouldFilter={false}
        overlayClassName="fixed inset-0 z-40 bg-slate-950/50"
        contentClassName="fixed top-[10vh] left-1/2 z-50 w-[min(40rem,calc(100vw-1.5rem))] -translate-x-1/2"
        className="panel flex max-h-[75vh] flex-col overflow-hidden p-0 text-slate-900 shadow-xl dark:text-slate-100"
        data-testid="command-bar"
      >
        {view.kind === "search" && (
          <>
            <Command.Input
              value={text}
              onValueChange={setText}
              placeholder={t("placeholder")}
              className="w-full border-b border-slate-200 bg-transparent px-4 py-3 text-base outline-none dark:border-slate-700"
            />
            <Command.List className="overflow-y-auto p-2">
              <Command.Empty className="muted px-3 py-2 text-sm">
                {data.searching ? t("searching") : t("empty")}
              </Command.Empty>
              {data.proposal && canPropose && (
                <Command.Group heading={t("groups.create")} className="cmd-group">
                  <Command.Item
                    value={`propose ${data.proposal.template_id}`}
                    onSelect={() =>
                      setView({ kind: "confirm", proposal: data.proposal!, request: data.query })
                    }
                    className="cmd-item"
                    data-testid="command-propose"
                  >
                    <span className="font-medium">
                      {t("propose", { template: templateName(data.proposal.template_id) })}
                    </span>
                    <span className="muted text-xs">{proposalDetails(data.proposal)}</span>
                  </Command.Item>
                </Command.Group>
              )}
              {canRun && data.query && (
                <Command.Group heading={t("groups.run")} className="cmd-group">
                  <Command.Item
                    value={`run ${data.query}`}
                    onSelect={() => run.mutate(data.query)}
                    className="cmd-item"
                    data-testid="command-run"
                  >
                    <span className="font-medium">{t("run", { text: data.query })}</span>
                    <span className="muted text-xs">{t("runPermission")}</span>
                  </Command.Item>
                </Command.Group>
              )}
              {canRead && data.tasks.length > 0 && (
                <Command.Group heading={t("groups.tasks")} className="cmd-group">
                  {data.tasks.map((task) => (
                    <Command.Item
                      key={task.id}
                      value={`task ${task.id}`}
                      onSelect={() => go(`/tasks/${task.id}`)}
                      className="cmd-item"
                    >
                      <span className="flex items-center gap-2">
                        <span className="font-mono text-xs">{task.id}</span>
                        <span className="min-w-0 flex-1 truncate">{task.definition.title}</span>
                        <StateBadge state={task.state.current} />
                      </span>
                      {task.context.client.name && (
                        <span className="muted text-xs">{task.context.client.name}</span>
                      )}
                    </Command.Item>
                  ))}
                </Command.Group>
              )}
              {canRead && (data.clients.length > 0 || intakes.length > 0) && (
                <Command.Group heading={t("groups.clients")} className="cmd-group">
                  {intakes.map((intake) => (
                    <Command.Item
                      key={intake}
                      value={`intake ${intake}`}
                      onSelect={() => go(`/graph?intake=${encodeURIComponent(intake)}`)}
                      className="cmd-item"
                    >
                      {t("intakeItem", { id: intake })}
                    </Command.Item>
                  ))}
                  {data.clients.map((client) => (
                    <Command.Item
                      key={client}
                      value={`client ${client}`}
                      onSelect={() => go(`/?client=${encodeURIComponent(client)}`)}
                      className="cmd-item"
                    >
                      {t("clientItem", { name: client })}
                    </Command.Item>
                  ))}
                </Command.Group>
              )}
              {pages.length > 0 && (
                <Command.Group heading={t("groups.pages")} className="cmd-group">
                  {pages.map((item) => (
                    <Command.Item
                      key={item.href}
                      value={`page ${item.href}`}
                      onSelect={() => go(item.href)}
                      className="cmd-item"
                    >
                      {tn(item.label)}
                    </Command.Item>
                  ))}
                </Command.Group>
              )}
            </Command.List>
            {run.isPending && <p className="muted px-4 pb-3 text-sm">{t("running")}</p>}
            {run.error && (
              <div className="px-4 pb-3">
                <ErrorMessage>{errorMessage(run.error)}</ErrorMessage>
              </div>
            )}
          </>
        )}
        {view.kind === "confirm" && (
          <ProposalForm
            proposal={view.proposal}
            request={view.request}
            templateName={templateName(view.proposal.template_id)}
            onBack={() => setView({ kind: "search" })}
            onCreated={(tasks, intake) => {
              setView({ kind: "created", tasks, intake });
              void queryClient.invalidateQueries({ queryKey: queryKeys.board });
            }}
          />
        )}
        {view.kind === "answer" && (
          <div
            className="flex flex-col gap-3 p-4"
            data-testid="command-answer"
            data-status={view.answer.status}
          >
            <h2 className="text-sm font-semibold">{t("answer")}</h2>
            <p className="text-sm">{view.answer.message}</p>
            <div className="flex gap-2">
              <button type="button" className="btn-secondary" onClick={() => setView({ kind: "search" })}>
                {t("back")}
              </button>
              <button type="button" className="btn-secondary" onClick={close}>
                {t("close")}
              </button>
            </div>
          </div>
        )}
        {view.kind === "created" && (
          <div className="flex flex-col gap-3 p-4" data-testid="command-created">
            <Notice>
              {t("created", { count: view.tasks.length, ids: view.tasks.map((task) => task.id).join(" → ") })}
            </Notice>
            <div className="flex flex-wrap gap-2">
              <Link href={boardHref(view.tasks, view.intake)} className="btn-primary" onClick={close}>
                {t("seeBoard")}
              </Link>
              <Link
                href={
                  view.intake
                    ? `/graph?intake=${encodeURIComponent(view.intake)}`
                    : `/graph?task=${view.tasks[0]?.id ?? ""}`
                }
                className="btn-secondary"
                onClick={close}
              >
                {t("seeGraph")}
              </Link>
            </div>
          </div>
        )}
      </Command.Dialog>
    </>
  );
}
