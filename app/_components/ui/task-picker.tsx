"use client";

import { useTranslations } from "next-intl";
import { type KeyboardEvent, useId, useState } from "react";
import type { SeedTask } from "@/lib/seed-format";
import { useTasks } from "../data/use-task";
import { useDebouncedValue } from "../hooks/use-debounced-value";
import { StateBadge } from "./state-badge";

interface Props {
  /** The input's id, so a <label htmlFor> outside names it. */
  id?: string;
  label?: string;
  placeholder?: string;
  /** Ids not to offer (already chosen, the task itself). */
  exclude?: readonly string[];
  onPick: (task: SeedTask) => void;
  /**
   * The typed text, when the form must see it: a form holds what was typed but not picked so it
   * can resolve it on submit instead of dropping it (forms/task-ref.ts).
   */
  text?: string;
  onTextChange?: (text: string) => void;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

/**
 * Search tasks by id or text and pick one (ARIA combobox: type, arrows to move, Enter to pick,
 * Escape to close).
 */
export function TaskPicker({
  id,
  label,
  placeholder,
  exclude = [],
  onPick,
  text: heldText,
  onTextChange,
  ...aria
}: Props) {
  const t = useTranslations("picker");
  const ownId = useId();
  const inputId = id ?? `${ownId}-input`;
  const listId = `${ownId}-list`;
  const [ownText, setOwnText] = useState("");
  const text = heldText ?? ownText;
  const setText = (value: string) => {
    setOwnText(value);
    onTextChange?.(value);
  };
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = useDebouncedValue(text.trim(), 200);
  const { data, isFetching } = useTasks({ q: query, limit: 8 }, query.length > 0);
  const options = (data?.tasks ?? []).filter((t) => !exclude.includes(t.id));
  const expanded = open && query.length > 0;

  function pick(task: SeedTask) {
    onPick(task);
    setText("");
    setOpen(false);
    setActive(0);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, Math.max(options.length - 1, 0)));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === "Enter" && expanded) {
      event.preventDefault();
      const task = options[active];
      if (task) pick(task);
    } else if (event.key === "Escape") {
      setOpen(false);
    }
  }

  return (
    <div className="relative">
      {label && (
        <label htmlFor={inputId} className="label">
          {label}
        </label>
      )}
      <input
        id={inputId}
        type="text"
        role="combobox"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && options[active] ? `${listId}-${options[active].id}` : undefined}
        value={text}
        placeholder={placeholder ?? t("placeholder")}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
        className="input"
        autoComplete="off"
        {...aria}
      />
      <div
        id={listId}
        role="listbox"
        aria-label={t("matching")}
        hidden={!expanded}
        className="panel absolute z-20 mt-1 max-h-72 w-full overflow-y-auto py-1"
      >
        {expanded && options.length === 0 && (
          <div className="muted px-3 py-2 text-sm">
            {isFetching || query !== text.trim() ? t("searching") : t("noMatch")}
          </div>
        )}
        {options.map((task, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keyboard (aria-activedescendant)
          <div
            key={task.id}
            tabIndex={-1}
            id={`${listId}-${task.id}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(task)}
            className={`flex cursor-pointer items-center gap-2 px-3 py-1.5 text-sm ${
              i === active ? "bg-sky-100 dark:bg-sky-900" : ""
            }`}
          >
            <span className="font-mono text-xs">{task.id}</span>
            <span className="min-w-0 flex-1 truncate">{task.definition.title}</span>
            <StateBadge state={task.state.current} />
          </div>
        ))}
      </div>
    </div>
  );
}
