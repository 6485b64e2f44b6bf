import dagre from "@dagrejs/dagre";
import type { BoardCard } from "@/lib/board";
import type { SeedTask } from "@/lib/seed-format";
import { isTerminal } from "@/lib/states";

// The dependency graph's pure side: which tasks it shows and where (dagre, left to right: a
// blocker sits left of the tasks it blocks).

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 104;

/** Most tasks a neighbourhood shows, so a busy task stays readable. */
export const MAX_NODES = 60;

export interface GraphEdgeModel {
  id: string;
  /** The blocker. */
  source: string;
  /** The task it blocks. */
  target: string;
  /** The blocker is done: the edge no longer holds anything. */
  satisfied: boolean;
}

export interface GraphModel {
  tasks: SeedTask[];
  positions: Map<string, { x: number; y: number }>;
  edges: GraphEdgeModel[];
}

export const edgeId = (blocker: string, dependent: string) => `${blocker}->${dependent}`;

/** Edges between the tasks shown, from each dependent's blocked_by. */
export function edgesOf(tasks: readonly SeedTask[]): GraphEdgeModel[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const edges: GraphEdgeModel[] = [];
  for (const task of tasks) {
    for (const blocker of task.dependencies.blocked_by) {
      const source = byId.get(blocker);
      if (!source) continue;
      edges.push({
        id: edgeId(blocker, task.id),
        source: blocker,
        target: task.id,
        satisfied: source.state.current === "COMPLETED",
      });
    }
  }
  return edges;
}

export function layoutGraph(tasks: readonly SeedTask[]): GraphModel {
  const edges = edgesOf(tasks);
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: 28, ranksep: 90, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const task of tasks) graph.setNode(task.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const task of tasks) {
    const node = graph.node(task.id);
    positions.set(task.id, { x: node.x - NODE_WIDTH / 2, y: node.y - NODE_HEIGHT / 2 });
  }
  return { tasks: [...tasks], positions, edges };
}

/**
 * The neighbourhood of a task: breadth-first over blockers and dependents (and parent and
 * subtasks), `depth` steps out, at most MAX_NODES tasks.
 */
export async function collectNeighbourhood(
  rootId: string,
  load: (id: string) => Promise<SeedTask>,
  depth = 2,
): Promise<SeedTask[]> {
  const found = new Map<string, SeedTask>();
  let frontier = [rootId];
  for (let level = 0; level <= depth && frontier.length > 0; level++) {
    const room = MAX_NODES - found.size;
    const batch = frontier.filter((id) => !found.has(id)).slice(0, Math.max(room, 0));
    const loaded = await Promise.all(batch.map((id) => load(id).catch(() => null)));
    const next: string[] = [];
    for (const task of loaded) {
      if (!task) continue;
      found.set(task.id, task);
      const d = task.dependencies;
      next.push(...d.blocked_by, ...d.blocks, ...d.subtasks, ...(d.parent_task ? [d.parent_task] : []));
    }
    frontier = [...new Set(next)].filter((id) => !found.has(id));
  }
  return [...found.values()];
}

/** Intakes with work still open, the most recently active first: the chains people follow. */
export function recentActiveIntakes(cards: readonly BoardCard[], limit = 6): string[] {
  const latest = new Map<string, string>();
  for (const card of cards) {
    if (!card.intakeId || isTerminal(card.state)) continue;
    const seen = latest.get(card.intakeId);
    if (!seen || card.updatedAt > seen) latest.set(card.intakeId, card.updatedAt);
  }
  return [...latest.entries()]
    .sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0))
    .slice(0, limit)
    .map(([intake]) => intake);
}
