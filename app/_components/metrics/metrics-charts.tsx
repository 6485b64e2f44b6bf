"use client";

import { useTranslations } from "next-intl";
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
import { useFormat } from "../ui/format";

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
  const t = useTranslations("metrics.charts");
  const format = useFormat();
  const data = series.map((p) => ({
    day: format.dayMonth(p.start),
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
      <ChartFrame title={t("throughput")} description={t("throughputDesc")}>
        <ResponsiveContainer>
          <BarChart data={data}>
            {grid}
            <XAxis dataKey="day" {...axis} />
            <YAxis allowDecimals={false} {...axis} />
            <Tooltip {...tooltip} />
            <Bar dataKey="completed" name={t("completed")} fill={c.a} />
          </BarChart>
        </ResponsiveContainer>
      </ChartFrame>
      <ChartFrame title={t("queueTime")} description={t("queueTimeDesc")}>
        <ResponsiveContainer>
          <LineChart data={data}>
            {grid}
            <XAxis dataKey="day" {...axis} />
            <YAxis {...axis} />
            <Tooltip {...tooltip} />
            <Line
              dataKey="queueMinutes"
              name={t("queueTimeSeries")}
              stroke={c.a}
              strokeWidth={2}
              connectNulls
              dot
            />
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
      <ChartFrame
        title={t("sla")}
        description={t("slaDesc", { target: KPI_TARGETS.slaCompliance?.value ?? 0 })}
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
              label={{ value: t("target"), fill: c.target, fontSize: 11 }}
            />
            <Line dataKey="sla" name={t("slaSeries")} stroke={c.a} strokeWidth={2} connectNulls dot />
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
      <ChartFrame
        title={t("rates")}
        description={t("ratesDesc", {
          error: KPI_TARGETS.errorRate?.value ?? 0,
          retry: KPI_TARGETS.retryRate?.value ?? 0,
          blocked: KPI_TARGETS.blockedRate?.value ?? 0,
        })}
      >
        <ResponsiveContainer>
          <LineChart data={data}>
            {grid}
            <XAxis dataKey="day" {...axis} />
            <YAxis unit="%" {...axis} />
            <Tooltip {...tooltip} />
            <Legend wrapperStyle={{ color: c.axis, fontSize: 12 }} />
            <Line dataKey="error" name={t("error")} stroke={c.b} strokeWidth={2} connectNulls dot />
            <Line dataKey="retry" name={t("retry")} stroke={c.c} strokeWidth={2} connectNulls dot />
            <Line dataKey="blocked" name={t("blocked")} stroke={c.d} strokeWidth={2} connectNulls dot />
          </LineChart>
        </ResponsiveContainer>
      </ChartFrame>
    </div>
  );
}
