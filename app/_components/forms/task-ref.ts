// A dependency or parent typed into a task picker but not picked from its list. It is never
// dropped: it is resolved to the one task it names, or the form refuses to submit and says why.

export type TaskRefResolution =
  | { ok: true; id: string }
  | { ok: false; reason: "not_found"; text: string }
  | { ok: false; reason: "no_match"; text: string }
  | { ok: false; reason: "ambiguous"; text: string; count: number };

const TASK_ID = /^TASK-\d{4}-\d{6}$/i;

export interface TaskLookup {
  /** The task with this id, or null when there is none. */
  byId: (id: string) => Promise<{ id: string } | null>;
  /** Tasks whose id or title match the text (at most a few). */
  search: (text: string) => Promise<readonly { id: string }[]>;
}

/** An exact task id must exist; other text must match exactly one task. */
export async function resolveTaskRef(text: string, lookup: TaskLookup): Promise<TaskRefResolution> {
  const typed = text.trim();
  if (TASK_ID.test(typed)) {
    const task = await lookup.byId(typed.toUpperCase());
    return task ? { ok: true, id: task.id } : { ok: false, reason: "not_found", text: typed };
  }
  const matches = await lookup.search(typed);
  if (matches.length === 1) return { ok: true, id: matches[0]!.id };
  if (matches.length === 0) return { ok: false, reason: "no_match", text: typed };
  return { ok: false, reason: "ambiguous", text: typed, count: matches.length };
}
