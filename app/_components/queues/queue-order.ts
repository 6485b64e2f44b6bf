import type { WaitingTaskView } from "../data/types";

// The pure side of drag-and-drop in the queues: new orders and the neighbour the API needs.

/** The list with the task at `from` moved to `to`, positions renumbered. */
export function moveWithin(list: readonly WaitingTaskView[], from: number, to: number): WaitingTaskView[] {
  const next = list.slice();
  const [moved] = next.splice(from, 1);
  if (moved) next.splice(to, 0, moved);
  return renumber(next);
}

export function renumber(list: WaitingTaskView[]): WaitingTaskView[] {
  return list.map((task, position) => (task.position === position ? task : { ...task, position }));
}

/**
 * Where the reorder API should put the task that now sits at `index` of `list`: right before the
 * task after it when it is first, else right after the one before it. Null when it is alone.
 */
export function neighbourOf(
  list: readonly WaitingTaskView[],
  index: number,
): { before: string } | { after: string } | null {
  if (index === 0) {
    const next = list[1];
    return next ? { before: next.id } : null;
  }
  const previous = list[index - 1];
  return previous ? { after: previous.id } : null;
}

/** The lists after moving `task` from one queue's list into another's at `index`. */
export function moveAcross(
  source: readonly WaitingTaskView[],
  target: readonly WaitingTaskView[],
  taskId: string,
  index: number,
): { source: WaitingTaskView[]; target: WaitingTaskView[] } {
  const task = source.find((t) => t.id === taskId);
  if (!task) return { source: source.slice(), target: target.slice() };
  const nextTarget = target.slice();
  nextTarget.splice(Math.min(index, nextTarget.length), 0, task);
  return { source: renumber(source.filter((t) => t.id !== taskId)), target: renumber(nextTarget) };
}
