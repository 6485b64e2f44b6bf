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

/** The start of a window ending now, rounded to the minute so the query key changes once a minute. */
export function useRollingWindowStart(lengthMs: number): string {
  const [start, setStart] = useState(() => new Date(Math.floor((Date.now() - lengthMs) / MINUTE) * MINUTE));
  useEffect(() => {
    const timer = setInterval(
      () => setStart(new Date(Math.floor((Date.now() - lengthMs) / MINUTE) * MINUTE)),
      MINUTE,
    );
    return () => clearInterval(timer);
  }, [lengthMs]);
  return start.toISOString();
}
