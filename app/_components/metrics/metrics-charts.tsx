"use client";

import type { ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { KPI_TARGETS, type MetricsSeriesPoint } from "@/lib/metrics";
import { useTheme } from "../shell/theme";

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { month: "short", day: "numeric" });

function useChartColours() {
  const [theme] = useTheme();
  return theme === "dark"
    ? {
        axis: "#cbd5e1",
        grid: "#334155",
        tooltipBg: "#0f172a",
        a: "#38bdf8",
        b: "#f87171",
        c: "#fbbf24",
        d: "#a78bfa",
        target: "#34d399",
      }
    : {
        axis: "#334155",
        grid: "#e2e8f0",
        tooltipBg: "#ffffff",
        a: "#0369a1",
        b: "#b91c1c",
        c: "#b45309",
        d: "#6d28d9",
        target: "#047857",
      };
}

function ChartFrame({
  title,
  description,
  children,
}: {
  title: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <figure className="panel flex flex-col gap-2 p-4" data-testid="chart">
      <figcaption>
        <span className="block text-sm font-semibold">{title}</span>
        <span className="muted block text-xs">{description}</span>
      </figcaption>
      <div className="h-56 w-full">{children}</div>
    </figure>
  );
}

interface Props {
  series: MetricsSeriesPoint[];
}

/** The metrics' daily series: throughput, queue time, SLA compliance, error / retry / blocked rates. */
export function MetricsCharts({ series }: Props) {
  const c = useChartColours();
  const data = series.map((p) => ({
    day: day(p.start),
    completed: p.completed,
    queueMinutes: p.queueTimeSeconds === null ? null : Math.round((p.queueTimeSeconds / 60) * 10) / 10,
    sla: p.slaCompliancePercent,
    error: p.errorRatePercent,
    retry: p.retryRatePercent,
    blocked: p.blockedRatePercent,
  }));
  const axis = { stroke: c.axis, tick: { fill: c.axis, fontSize: 12 } };
  const tooltip = { contentStyle: { background: c.tooltipBg, borderColor: c.grid, color: c.axis } };
  const grid = <CartesianGrid stroke={c.grid} strokeDasharray="3 3" />;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <ChartFrame title="Throughput" description="Tasks completed per day">
        <ResponsiveContainer>
          <BarChart data={data}>
            {grid}
            <XAxis dataKey="day" {...axis} />
            <YAxis allowDecimals={false} {...axis} />
            <Tooltip {...tooltip} />
            <Bar dataKey="completed" name="Completed" fill={c.a} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFrame>
      <ChartFrame title="Queue time" description="Mean wait in queue of the tasks started that day (minutes)">
        <ResponsiveContainer>
          <LineChart data={data}>
            {grid}
            <XAxis dataKey="day" {...axis} />
            <YAxis {...axis} />
            <Tooltip {...tooltip} />
            <Line
              dataKey="queueMinutes"
              name="Queue time (min)"
              stroke={c.a}
              strokeWidth={2}
              connectNulls
              dot
            />
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
      <ChartFrame
        title="SLA compliance"
        description={`Share of tasks within their SLA (target > ${KPI_TARGETS.slaCompliance?.value} %)`}
      >
        <ResponsiveContainer>
          <LineChart data={data}>
            {grid}
            <XAxis dataKey="day" {...axis} />
            <YAxis domain={[0, 100]} unit="%" {...axis} />
            <Tooltip {...tooltip} />
            <ReferenceLine
              y={KPI_TARGETS.slaCompliance?.value}
              stroke={c.target}
              strokeDasharray="6 3"
              label={{ value: "target", fill: c.target, fontSize: 11 }}
            />
            <Line dataKey="sla" name="SLA compliance %" stroke={c.a} strokeWidth={2} connectNulls dot />
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
      <ChartFrame
        title="Error, retry and blocked rates"
        description={`Share of active tasks (targets < ${KPI_TARGETS.errorRate?.value} %, < ${KPI_TARGETS.retryRate?.value} %, < ${KPI_TARGETS.blockedRate?.value} %)`}
      >
        <ResponsiveContainer>
          <LineChart data={data}>
            {grid}
            <XAxis dataKey="day" {...axis} />
            <YAxis unit="%" {...axis} />
            <Tooltip {...tooltip} />
            <Legend wrapperStyle={{ color: c.axis, fontSize: 12 }} />
            <Line dataKey="error" name="Error %" stroke={c.b} strokeWidth={2} connectNulls dot />
            <Line dataKey="retry" name="Retry %" stroke={c.c} strokeWidth={2} connectNulls dot />
            <Line dataKey="blocked" name="Blocked %" stroke={c.d} strokeWidth={2} connectNulls dot />
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
    </div>
  );
}
