"use client";

import { useTranslations } from "next-intl";
import { KPI_NAMES } from "@/lib/metrics";
import { QUEUE_NAMES } from "@/lib/queues";
import { useMetrics, useRollingWindowStart } from "../data/use-metrics";
import { useUrlParams } from "../hooks/use-url-params";
import { useFormat } from "../ui/format";
import { useQueueLabel } from "../ui/labels";
import { ErrorMessage, Loading } from "../ui/page";
import { KpiTile } from "./kpi-tile";
import { MetricsCharts } from "./metrics-charts";
import { QueueKpiTable } from "./queue-kpi-table";
import { ReportLinks } from "./report-links";

const WINDOWS = [{ days: "1" }, { days: "7" }, { days: "30" }, { days: "90" }] as const;
const PARAMS = ["days", "queue"] as const;
const DAY_MS = 86_400_000;

/** The KPIs against their targets over a window, per queue and per day, and the reports. */
export function MetricsDashboard() {
  const [params, setParams] = useUrlParams(PARAMS);
  const t = useTranslations("metrics");
  const tc = useTranslations("common");
  const format = useFormat();
  const queueLabel = useQueueLabel();
  const days = WINDOWS.some((w) => w.days === params.days) ? Number(params.days) : 7;
  const from = useRollingWindowStart(days * DAY_MS);
  const { data, error, isPending, isFetching } = useMetrics({ from, queue: params.queue });

  return (
    <div className="flex flex-col gap-4 px-4 pb-8">
      <div className="flex flex-wrap items-end gap-4">
        <fieldset className="flex flex-wrap items-center gap-1">
          <legend className="label mb-1">{t("window")}</legend>
          {WINDOWS.map((w) => (
            <button
              key={w.days}
              type="button"
              aria-pressed={days === Number(w.days)}
              className={days === Number(w.days) ? "btn-primary" : "btn-secondary"}
              onClick={() => setParams({ days: w.days === "7" ? null : w.days })}
            >
              {t(`windows.${w.days}`)}
            </button>
          ))}
        </fieldset>
        <label className="flex flex-col gap-1">
          <span className="label">{t("queue")}</span>
          <select
            value={params.queue ?? ""}
            onChange={(e) => setParams({ queue: e.target.value || null })}
            className="input w-44"
          >
            <option value="">{t("allQueues")}</option>
            {QUEUE_NAMES.map((q) => (
              <option key={q} value={q}>
                {queueLabel(q)}
              </option>
            ))}
          </select>
        </label>
        {data && (
          <p className="muted text-xs" aria-live="polite">
            {format.dateTime(data.window.from)} → {format.dateTime(data.window.to)}
            {isFetching ? t("updating") : ""}
          </p>
        )}
      </div>
      {isPending ? (
        <Loading what={t("loading")} />
      ) : error ? (
        <ErrorMessage>{tc("couldNotLoad", { what: t("what"), message: error.message })}</ErrorMessage>
      ) : (
        <>
          <section aria-label={t("key")} className="grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7">
            {KPI_NAMES.map((name) => (
              <KpiTile key={name} kpi={data.overall[name]} />
            ))}
          </section>
          <MetricsCharts series={data.series} />
          {data.queues.length > 1 && <QueueKpiTable queues={data.queues} />}
        </>
      )}
      <ReportLinks from={from} queue={params.queue} />
    </div>
  );
}
