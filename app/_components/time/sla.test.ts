import { describe, expect, it } from "vitest";
import { formatDuration, queueSlaMs, slaLevel } from "./sla";

const H = 3_600_000;

describe("slaLevel", () => {
  it("is breached at or after the deadline", () => {
    expect(slaLevel(1_000, 1_000, H)).toBe("breached");
    expect(slaLevel(1_000, 2_000, null)).toBe("breached");
  });
  it("is imminent under an hour left, whatever the SLA", () => {
    expect(slaLevel(59 * 60_000, 0, 72 * H)).toBe("imminent");
  });
  it("is low under a quarter of the SLA left", () => {
    expect(slaLevel(5 * H, 0, 24 * H)).toBe("low");
    expect(slaLevel(7 * H, 0, 24 * H)).toBe("ok");
  });
  it("without a known SLA length only the hour and the deadline count", () => {
    expect(slaLevel(2 * H, 0, null)).toBe("ok");
  });
});

describe("formatDuration", () => {
  it("shows the two largest units", () => {
    expect(formatDuration(2 * H + 5 * 60_000 + 7_000)).toBe("2 h 05 min");
    expect(formatDuration(12 * 60_000 + 4_000)).toBe("12 min 04 s");
    expect(formatDuration(-45_000)).toBe("45 s");
    expect(formatDuration(50 * H)).toBe("2 d 02 h");
  });
});

describe("queueSlaMs", () => {
  it("reads the seed's queue table", () => {
    expect(queueSlaMs("critical")).toBe(H);
    expect(queueSlaMs("backlog")).toBeNull();
  });
});
