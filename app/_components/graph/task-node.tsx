"use client";

import { Handle, type Node, type NodeProps, Position } from "@xyflow/react";
import { memo } from "react";
import type { SeedTask } from "@/lib/seed-format";
import { isTerminal } from "@/lib/states";
import { SlaCountdown } from "../time/sla-countdown";
import { useQueueLabel } from "../ui/labels";
import { ProgressBar } from "../ui/progress-bar";
import { STATE_BORDER, StateBadge } from "../ui/state-badge";
import { NODE_HEIGHT, NODE_WIDTH } from "./graph-model";

export type TaskNodeType = Node<{ task: SeedTask; root: boolean; connectable: boolean }, "task">;

/** A task in the graph: state colour, SLA countdown, progress; handles to draw dependencies. */
export const TaskNode = memo(function TaskNode({ data, selected }: NodeProps<TaskNodeType>) {
  const { task, root, connectable } = data;
  const queueLabel = useQueueLabel();
  const slaTotal = task.queue.sla_deadline
    ? Date.parse(task.queue.sla_deadline) - Date.parse(task.queue.entered_at)
    : null;
  return (
    <div
      className={`flex flex-col gap-1 rounded-md border-2 bg-white p-2 text-xs shadow-sm dark:bg-slate-900 ${
        STATE_BORDER[task.state.current]
      } ${selected || root ? "ring-2 ring-sky-500" : ""}`}
      style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
      data-testid="graph-node"
      data-task-id={task.id}
      data-state={task.state.current}
    >
      <Handle
        type="target"
        position={Position.Left}
        isConnectable={connectable}
        className="!h-3 !w-3 !bg-slate-500"
      />
      <div className="flex items-center justify-between gap-1">
        <span className="font-mono text-slate-600 dark:text-slate-400">{task.id}</span>
        <StateBadge state={task.state.current} />
      </div>
      <p
        className="truncate text-sm font-medium text-slate-900 dark:text-slate-100"
        title={task.definition.title}
      >
        {task.definition.title}
      </p>
      <div className="flex items-center justify-between gap-1 text-slate-700 dark:text-slate-300">
        <span>{queueLabel(task.queue.name)}</span>
        {!isTerminal(task.state.current) && (
          <SlaCountdown deadline={task.queue.sla_deadline} totalMs={slaTotal} />
        )}
      </div>
      <ProgressBar percent={task.execution.progress_percent} />
      <Handle
        type="source"
        position={Position.Right}
        isConnectable={connectable}
        className="!h-3 !w-3 !bg-sky-600"
      />
    </div>
  );
});
