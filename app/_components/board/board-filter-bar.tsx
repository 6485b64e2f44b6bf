"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { BoardCard } from "@/lib/board";
import { QUEUE_NAMES } from "@/lib/queues";
import { useBoardFilterOptions } from "../data/use-board";
import type { BoardFilters } from "./board-model";
import { distinctValues } from "./board-model";

interface Props {
  cards: readonly BoardCard[];
  filters: BoardFilters;
  onChange: (changes: BoardFilters) => void;
}

function FilterSelect({
  name,
  label,
  value,
  options,
  onChange,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  const t = useTranslations("common");
  const id = `filter-${name}`;
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className="text-xs font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value)} className="input w-40">
        <option value="">{t("all")}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
        {value && !options.includes(value) && <option value={value}>{value}</option>}
      </select>
    </div>
  );
}

/** The board's filters; their values live in the URL. */
export function BoardFilterBar({ cards, filters, onChange }: Props) {
  const active = Object.values(filters).some(Boolean);
  const t = useTranslations("board");
  const [open, setOpen] = useState(false);
  const server = useBoardFilterOptions().data;
  return (
    <search aria-label={t("filters")} className="flex flex-wrap items-end gap-3">
      <div className="flex flex-col gap-0.5">
        <label htmlFor="filter-q" className="text-xs font-medium text-slate-700 dark:text-slate-300">
          {t("search")}
        </label>
        <input
          id="filter-q"
          type="search"
          value={filters.q ?? ""}
          onChange={(e) => onChange({ q: e.target.value })}
          placeholder={t("searchPlaceholder")}
          className="input w-56"
        />
      </div>
      {/* On a phone the selects fold behind one button, so the board starts on the first screen. */}
      <button
        type="button"
        className="btn-secondary sm:hidden"
        aria-expanded={open}
        aria-controls="board-filter-selects"
        onClick={() => setOpen(!open)}
      >
        {t("moreFilters", { count: Object.entries(filters).filter(([k, v]) => k !== "q" && v).length })}
      </button>
      <div
        id="board-filter-selects"
        className={`${open ? "flex" : "hidden"} flex-wrap items-end gap-3 sm:flex`}
      >
        <FilterSelect
          name="queue"
          label={t("queue")}
          value={filters.queue}
          options={QUEUE_NAMES}
          onChange={(queue) => onChange({ queue })}
        />
        <FilterSelect
          name="skill"
          label={t("skill")}
          value={filters.skill}
          options={distinctValues(cards, (c) => c.skillTarget, server?.skills)}
          onChange={(skill) => onChange({ skill })}
        />
        <FilterSelect
          name="client"
          label={t("client")}
          value={filters.client}
          options={distinctValues(cards, (c) => c.clientName, server?.clients)}
          onChange={(client) => onChange({ client })}
        />
        <FilterSelect
          name="intake"
          label={t("intake")}
          value={filters.intake}
          options={distinctValues(cards, (c) => c.intakeId, server?.intakes)}
          onChange={(intake) => onChange({ intake })}
        />
        <FilterSelect
          name="assignee"
          label={t("assignee")}
          value={filters.assignee}
          options={distinctValues(cards, (c) => c.assignedTo, server?.assignees)}
          onChange={(assignee) => onChange({ assignee })}
        />
      </div>
      {active && (
        <button
          type="button"
          className="btn-secondary"
          onClick={() => onChange({ q: "", queue: "", skill: "", client: "", intake: "", assignee: "" })}
        >
          {t("clearFilters")}
        </button>
      )}
    </search>
  );
}
