import { describe, expect, it } from "vitest";
import type { Kpi } from "@/lib/metrics";
import { MIN_RATE_SAMPLE, shownStatus } from "./kpi-format";

const errorRate = (value: number, sample: number): Kpi => ({
  name: "errorRate",
  value,
  unit: "percent",
  target: { comparator: "lt", value: 5, unit: "percent", source: "seed" },
  status: value < 5 ? "pass" : "fail",
  sample,
});

describe("shownStatus", () => {
  it("does not sound the alarm for a rate over too few tasks (80 % of 5)", () => {
    expect(shownStatus(errorRate(80, 5))).toBe("small_sample");
    expect(shownStatus(errorRate(80, MIN_RATE_SAMPLE - 1))).toBe("small_sample");
  });

  it("keeps a missed target red once the sample is large enough, and a met one green", () => {
    expect(shownStatus(errorRate(8, MIN_RATE_SAMPLE))).toBe("fail");
    expect(shownStatus(errorRate(2, 3))).toBe("pass");
  });

  it("judges durations and throughput as the server did, whatever their sample", () => {
    const queueTime: Kpi = { ...errorRate(99, 2), name: "queueTime", unit: "seconds", status: "fail" };
    expect(shownStatus(queueTime)).toBe("fail");
  });
});
