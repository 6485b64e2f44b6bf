"use client";

import { useMemo } from "react";
import { TEMPLATES } from "@/lib/templates";
import { useBoard } from "../data/use-board";

/**
 * The skills, types and assignees already in use: the templates' own, and those of the tasks on
 * the board (held by the board's query, so nothing more is fetched when it is loaded).
 */
export function useKnownValues(): { skills: string[]; types: string[]; assignees: string[] } {
  const { data } = useBoard();
  return useMemo(() => {
    const skills = new Set<string>();
    const types = new Set<string>();
    const assignees = new Set<string>();
    for (const template of TEMPLATES) {
      for (const task of template.tasks) {
        if (task.definition.skill_target) skills.add(task.definition.skill_target);
        if (task.definition.type) types.add(task.definition.type);
      }
    }
    for (const card of data?.cards ?? []) {
      if (card.skillTarget) skills.add(card.skillTarget);
      if (card.assignedTo) assignees.add(card.assignedTo);
    }
    return { skills: [...skills], types: [...types], assignees: [...assignees] };
  }, [data]);
}
