// Numbers the bench prints: median and min–max over rounds, percentiles over samples.

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** "median (min–max)" with `digits` decimals. */
export function spread(values: readonly number[], digits = 0): string {
  if (values.length === 0) return "n/a";
  const f = (v: number) => v.toFixed(digits);
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

export interface Row {
  workload: string;
  unit: string;
  ours: number[];
  /** The anchor measured in the same run, or null where it has no counterpart. */
  peer: number[] | null;
  /** How the ratio reads: ours / peer for throughput, peer / ours for a latency. */
  better: "higher" | "lower";
  digits?: number;
}

function ratio(row: Row): string {
  if (!row.peer || row.peer.length === 0 || row.ours.length === 0) return "—";
  const ours = median(row.ours);
  const peer = median(row.peer);
  const r = row.better === "higher" ? ours / peer : peer / ours;
  return `${r.toFixed(2)}×`;
}

/** A Markdown table: one line per workload, both libraries, the ratio (> 1 = ours better). */
export function table(rows: readonly Row[]): string {
  const lines = [
    "| workload | unit | task-orchestrator | graphile-worker c10 | ratio (>1 = ours better) |",
    "|---|---|---|---|---|",
  ];
  for (const row of rows) {
    const peer = row.peer ? spread(row.peer, row.digits) : "—";
    lines.push(
      `| ${row.workload} | ${row.unit} | ${spread(row.ours, row.digits)} | ${peer} | ${ratio(row)} |`,
    );
  }
  return lines.join("\n");
}
