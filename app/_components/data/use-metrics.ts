"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { MetricsReport } from "@/lib/metrics";
import { apiFetch, queryString } from "../api-client";
import { type Params, queryKeys } from "./query-keys";

/** GET /api/v1/metrics: the seven KPIs against targets, per queue, per day. */
export function useMetrics(params: Params) {
  return useQuery({
    queryKey: queryKeys.metrics(params),
    queryFn: () => apiFetch<MetricsReport>(`/api/v1/metrics${queryString(params)}`),
    placeholderData: keepPreviousData,
  });
}

const MINUTE = 60_000;

/**
 * The start of a window ending now, rounded to the minute so the query key changes once a minute.
 * Derived from `lengthMs` on every render: switching the window changes the start at once (it used
 * to wait for the next minute's tick, showing the old window's figures for up to 60 s).
 */
export function useRollingWindowStart(lengthMs: number): string {
  const [minute, setMinute] = useState(() => Math.floor(Date.now() / MINUTE));
  useEffect(() => {
    const timer = setInterval(() => setMinute(Math.floor(Date.now() / MINUTE)), MINUTE);
    return () => clearInterval(timer);
  }, []);
  return new Date(Math.floor((minute * MINUTE - lengthMs) / MINUTE) * MINUTE).toISOString();
}
