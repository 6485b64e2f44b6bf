"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useCallback, useMemo } from "react";
import { isTerminal, type TaskStateName } from "@/lib/states";
import { useBoard } from "../data/use-board";
import { usePersistentState } from "../hooks/use-persistent-state";
import { useUrlParams } from "../hooks/use-url-params";
import { ErrorMessage, Loading } from "../ui/page";
import { loadMoreOfColumn } from "./board-cache";
import { BoardColumn } from "./board-column";
import { BoardFilterBar } from "./board-filter-bar";
import { BOARD_COLUMNS, type BoardFilters, buildColumns, FILTER_KEYS } from "./board-model";

export function Board() {
  const t = useTranslations("board");
  const tc = useTranslations("common");
  const [filters, setFilters] = useUrlParams(FILTER_KEYS);
  const { data, error, isPending } = useBoard(filters);
  const [collapsed, setCollapsed] = usePersistentState<TaskStateName[]>("board.collapsed", []);
  const columns = useMemo(() => buildColumns(data?.cards ?? [], filters), [data, filters]);
  const queryClient = useQueryClient();
  // Columns come by pages (the server's board read model): scrolling near a column's end asks for more.
  const loadMore = useCallback(
    (state: TaskStateName) => loadMoreOfColumn(queryClient, filters, state).catch(() => {}),
    [queryClient, filters],
  );
  const filtering = FILTER_KEYS.some((key) => filters[key]);

  if (isPending) return <Loading what={t("loadingWhat")} />;
  if (error)
    return <ErrorMessage>{tc("couldNotLoad", { what: t("what"), message: error.message })}</ErrorMessage>;

  const toggle = (state: TaskStateName) =>
    setCollapsed(collapsed.includes(state) ? collapsed.filter((s) => s !== state) : [...collapsed, state]);
  const shown = [...columns.values()].reduce((n, cards) => n + cards.length, 0);
  const total = Object.values(data.counts).reduce((n, count) => n + count, 0);

  return (
    <>
      <div className="px-4 py-2">
        <BoardFilterBar
          cards={data.cards}
          filters={filters}
          onChange={(changes: BoardFilters) => setFilters(changes)}
        />
        <p className="muted mt-1 text-xs" aria-live="polite">
          {filtering ? t("matching", { total }) : t("loaded", { shown, total })}
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
            total={data.counts[state]}
            hasMore={data.columns.some((c) => c.state === state && c.nextCursor !== null)}
            onLoadMore={loadMore}
            collapsible={isTerminal(state)}
            collapsed={collapsed.includes(state)}
            onToggle={() => toggle(state)}
          />
        ))}
      </div>
    </>
  );
}
