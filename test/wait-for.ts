// Tests wait for the condition that proves their point, never for a fixed time: a slow machine
// then only makes them slower, not wrong. The limit is generous and only bounds a failure.

export interface WaitOptions {
  /** Overall limit (default 20 s, inside Vitest's 30 s test limit): reaching it fails the test with `what`. */
  timeoutMs?: number;
  /** Pause between probes (default 50 ms). */
  intervalMs?: number;
  /** Extra text for the failure message (e.g. a server's log tail). */
  context?: () => string;
}

/** Probes until it answers something truthy, and returns that; throws after the limit. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  options: WaitOptions | number = {},
): Promise<T> {
  const {
    timeoutMs = 20_000,
    intervalMs = 50,
    context,
  } = typeof options === "number" ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      const extra = context?.();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${extra ? `\n${extra}` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
