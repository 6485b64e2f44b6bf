"use client";

import { useTranslations } from "next-intl";
import { useMemo } from "react";
import { isTerminal, type TaskStateName } from "@/lib/states";
import { useBoard } from "../data/use-board";
import { usePersistentState } from "../hooks/use-persistent-state";
import { useUrlParams } from "../hooks/use-url-params";
import { ErrorMessage, Loading } from "../ui/page";
import { BoardColumn } from "./board-column";
import { BoardFilterBar } from "./board-filter-bar";
import { BOARD_COLUMNS, type BoardFilters, buildColumns, FILTER_KEYS } from "./board-model";

export function Board() {
  const { data, error, isPending } = useBoard();
  const t = useTranslations("board");
  const tc = useTranslations("common");
  const [filters, setFilters] = useUrlParams(FILTER_KEYS);
  const [collapsed, setCollapsed] = usePersistentState<TaskStateName[]>("board.collapsed", []);
  const columns = useMemo(() => buildColumns(data?.cards ?? [], filters), [data, filters]);

  if (isPending) return <Loading what={t("loadingWhat")} />;
  if (error)
    return <ErrorMessage>{tc("couldNotLoad", { what: t("what"), message: error.message })}</ErrorMessage>;

  const toggle = (state: TaskStateName) =>
    setCollapsed(collapsed.includes(state) ? collapsed.filter((s) => s !== state) : [...collapsed, state]);
  const shown = [...columns.values()].reduce((n, cards) => n + cards.length, 0);

  return (
    <>
      <div className="px-4 py-2">
        <BoardFilterBar
          cards={data.cards}
          filters={filters}
          onChange={(changes: BoardFilters) => setFilters(changes)}
        />
        <p className="muted mt-1 text-xs" aria-live="polite">
          {t("shown", { shown, total: data.cards.length })}
        </p>
      </div>
      {/* relative: the columns' visually hidden headings are positioned inside the scroller, so
          they scroll with it instead of widening the page on a phone. */}
      <div className="relative flex gap-3 overflow-x-auto px-4 pb-4" data-testid="board">
        {BOARD_COLUMNS.map((state) => (
          <BoardColumn
            key={state}
            state={state}
            cards={columns.get(state) ?? []}
            collapsible={isTerminal(state)}
            collapsed={collapsed.includes(state)}
            onToggle={() => toggle(state)}
          />
        ))}
      </div>
    </>
  );
}
