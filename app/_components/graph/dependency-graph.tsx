"use client";

import "@xyflow/react/dist/style.css";
import {
  Background,
  type Connection,
  Controls,
  type Edge,
  MarkerType,
  ReactFlow,
  useEdgesState,
  useNodesState,
} from "@xyflow/react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useMemo } from "react";
import { useTheme } from "../shell/theme";
import type { GraphModel } from "./graph-model";
import { TaskNode, type TaskNodeType } from "./task-node";

const NODE_TYPES = { task: TaskNode };

interface Props {
  model: GraphModel;
  rootId: string | null;
  editable: boolean;
  onConnect: (blocker: string, dependent: string) => void;
  onRemove: (blocker: string, dependent: string) => void;
}

/**
 * The graph canvas: drag from a task's right handle to another's left handle to make the second
 * wait on the first; select an edge and press Delete to remove it; click a task to open it.
 */
export function DependencyGraph({ model, rootId, editable, onConnect, onRemove }: Props) {
  const router = useRouter();
  const [theme] = useTheme();
  const t = useTranslations("graph");
  // Both translators are memoised by next-intl: safe as memo dependencies.
  const ts = useTranslations("states");
  const laidOut = useMemo<TaskNodeType[]>(
    () =>
      model.tasks.map((task) => ({
        id: task.id,
        type: "task",
        position: model.positions.get(task.id) ?? { x: 0, y: 0 },
        data: { task, root: task.id === rootId, connectable: editable },
        deletable: false,
        ariaLabel: t("nodeLabel", {
          id: task.id,
          title: task.definition.title,
          state: ts(task.state.current),
        }),
      })),
    [model, rootId, editable, t, ts],
  );
  const laidOutEdges = useMemo<Edge[]>(
    () =>
      model.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        deletable: editable,
        animated: !e.satisfied,
        markerEnd: { type: MarkerType.ArrowClosed },
        style: { strokeWidth: 2, stroke: e.satisfied ? "#94a3b8" : "#0284c7" },
        ariaLabel: t("waitsOnText", { dependent: e.target, blocker: e.source }),
      })),
    [model, editable, t],
  );
  // A new layout (a dependency added or removed moves the tasks) mounts a fresh canvas, fitted
  // to it: fitted once, the view kept the old layout's frame and could leave a task outside it.
  const layoutKey = useMemo(
    () => laidOut.map((n) => `${n.id}@${Math.round(n.position.x)},${Math.round(n.position.y)}`).join("|"),
    [laidOut],
  );
  const [nodes, setNodes, onNodesChange] = useNodesState<TaskNodeType>(laidOut);
  const [edges, setEdges, onEdgesChange] = useEdgesState<Edge>(laidOutEdges);
  useEffect(() => setNodes(laidOut), [laidOut, setNodes]);
  useEffect(() => setEdges(laidOutEdges), [laidOutEdges, setEdges]);

  return (
    <div
      className="h-[65vh] min-h-96 rounded-lg border border-slate-200 dark:border-slate-800"
      data-testid="graph"
    >
      <ReactFlow
        key={layoutKey}
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={(c: Connection) => c.source !== c.target && onConnect(c.source, c.target)}
        onEdgesDelete={(deleted) => {
          for (const e of deleted) onRemove(e.source, e.target);
        }}
        onNodeClick={(_event, node) => router.push(`/tasks/${node.id}`)}
        nodesConnectable={editable}
        edgesFocusable
        deleteKeyCode={editable ? ["Delete", "Backspace"] : null}
        colorMode={theme}
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
