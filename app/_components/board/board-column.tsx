"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import type { BoardCard } from "@/lib/board";
import type { TaskStateName } from "@/lib/states";
import { ChevronIcon } from "../ui/icons";
import { useStateLabel } from "../ui/state-badge";
import { TaskCard } from "./task-card";

const CARD_ESTIMATE_PX = 120;
const GAP_PX = 8;

interface Props {
  state: TaskStateName;
  cards: BoardCard[];
  /** The column's count on the server (undefined while filtering: the loaded cards that match). */
  total?: number;
  /** The server has more cards for this column than are loaded. */
  hasMore: boolean;
  onLoadMore: (state: TaskStateName) => Promise<void>;
  /** Terminal columns can fold to a narrow bar. */
  collapsible: boolean;
  collapsed: boolean;
  onToggle: () => void;
}

/**
 * A column of the board; only the cards in view are rendered, and the column's next page is
 * fetched when the scroll nears the end of what is loaded, so 10,000 tasks scroll smoothly.
 */
export function BoardColumn({
  state,
  cards,
  total,
  hasMore,
  onLoadMore,
  collapsible,
  collapsed,
  onToggle,
}: Props) {
  const t = useTranslations("board");
  const label = useStateLabel()(state);
  const headingId = `column-${state}`;
  // Never fewer than the cards it holds: a card pushed live shows before the server's count comes.
  const count = Math.max(total ?? 0, cards.length);
  // An empty column is a narrow bar too: at 1920 px every column with work stays on screen.
  if (collapsed || count === 0) {
    return (
      <section
        className="flex w-12 shrink-0 flex-col items-center rounded-lg bg-slate-100 py-2 dark:bg-slate-900/60"
        aria-labelledby={headingId}
        data-testid={`column-${state}`}
        data-collapsed="true"
      >
        <h2 id={headingId} className="sr-only">
          {label}
        </h2>
        {count === 0 ? (
          <span className="muted flex flex-col items-center gap-1 px-1 text-xs">
            <span className="[writing-mode:vertical-rl]">{label}</span>
            <span data-testid="column-count">0</span>
          </span>
        ) : (
          <button
            type="button"
            className="btn-ghost flex-col px-1 text-xs"
            onClick={onToggle}
            aria-expanded={false}
            aria-label={t("expand", { state: label, count })}
          >
            <ChevronIcon direction="right" />
            <span className="[writing-mode:vertical-rl]">{label}</span>
            <span data-testid="column-count">{count}</span>
          </button>
        )}
      </section>
    );
  }
  return (
    <section
      className="flex w-72 min-w-56 shrink-0 flex-col rounded-lg bg-slate-100 lg:w-auto lg:max-w-80 lg:flex-1 lg:shrink dark:bg-slate-900/60"
      aria-labelledby={headingId}
      data-testid={`column-${state}`}
    >
      <div className="flex items-center justify-between px-3 py-2">
        <h2
          id={headingId}
          className="text-xs font-semibold tracking-wide text-slate-700 uppercase dark:text-slate-300"
        >
          {label}
        </h2>
        <span className="flex items-center gap-1">
          <span
            className="rounded-full bg-slate-200 px-2 py-0.5 text-xs dark:bg-slate-800"
            data-testid="column-count"
          >
            {count}
          </span>
          {collapsible && (
            <button
              type="button"
              className="btn-ghost px-1 py-0 text-xs"
              onClick={onToggle}
              aria-expanded
              aria-label={t("collapse", { state: label })}
            >
              <ChevronIcon direction="left" />
            </button>
          )}
        </span>
      </div>
      <VirtualCards cards={cards} hasMore={hasMore} onLoadMore={() => onLoadMore(state)} />
    </section>
  );
}

/** Start fetching the next page this many cards before the end of the loaded ones. */
const PREFETCH_CARDS = 15;

function VirtualCards({
  cards,
  hasMore,
  onLoadMore,
}: {
  cards: BoardCard[];
  hasMore: boolean;
  onLoadMore: () => Promise<void>;
}) {
  const t = useTranslations("board");
  const scrollRef = useRef<HTMLDivElement>(null);
  const [loading, setLoading] = useState(false);
  const virtualizer = useVirtualizer({
    count: cards.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => CARD_ESTIMATE_PX,
    getItemKey: (index) => cards[index]!.id,
    overscan: 6,
    gap: GAP_PX,
  });
  const items = virtualizer.getVirtualItems();
  const lastShown = items.at(-1)?.index ?? -1;
  // One page in flight at a time (a ref: renders during the fetch must not start another).
  const inFlight = useRef(false);
  const more = () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setLoading(true);
    void onLoadMore().finally(() => {
      inFlight.current = false;
      setLoading(false);
    });
  };
  const nearEnd = hasMore && lastShown >= cards.length - PREFETCH_CARDS;
  // Looked at again whenever the scroll shows other cards, the column grows or a fetch ends.
  // biome-ignore lint/correctness/useExhaustiveDependencies: more() reads the ref, not stale state
  useEffect(() => {
    if (nearEnd && !loading) more();
  }, [nearEnd, lastShown, cards.length, loading]);
  if (cards.length === 0 && !hasMore) return <p className="muted px-3 pb-3 text-xs">{t("noTasks")}</p>;
  return (
    <div
      ref={scrollRef}
      className="h-[calc(100vh-15rem)] min-h-64 overflow-y-auto px-2 pb-2"
      data-testid="column-scroll"
      data-loaded={cards.length}
    >
      <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const card = cards[item.index]!;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="absolute top-0 left-0 w-full"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <TaskCard card={card} />
            </div>
          );
        })}
      </div>
      {hasMore && (
        <button
          type="button"
          className="btn-ghost mt-2 w-full text-xs"
          onClick={more}
          disabled={loading}
          data-testid="column-more"
        >
          {loading ? t("loadingMore") : t("more")}
        </button>
      )}
    </div>
  );
}
