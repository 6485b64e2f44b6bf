import { describe, expect, it } from "vitest";
import { parseDecimal } from "./decimal";

describe("parseDecimal", () => {
  it("reads a French decimal comma and an English decimal point alike", () => {
    expect(parseDecimal("3,5")).toBe(3.5);
    expect(parseDecimal("3.5")).toBe(3.5);
    expect(parseDecimal(" 12 ")).toBe(12);
    expect(parseDecimal(",5")).toBe(0.5);
  });

  it("ignores the spaces French uses to group thousands", () => {
    expect(parseDecimal("1 234,5")).toBe(1234.5);
    expect(parseDecimal("1\u202f234")).toBe(1234);
  });

  it("refuses what is not one number rather than guessing", () => {
    expect(parseDecimal("")).toBeNull();
    expect(parseDecimal("3,5,1")).toBeNull();
    expect(parseDecimal("1.234,5")).toBeNull();
    expect(parseDecimal("trois")).toBeNull();
    expect(parseDecimal("3h")).toBeNull();
  });
});
