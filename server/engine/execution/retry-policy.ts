// error-handler, part 1: when a recoverable failure is retried, and when the engine gives up.
//
// Retry n (n = 1, 2, 3) waits base × factor^(n-1), capped, ± jitter:
//   30 s, 60 s, 120 s … up to 30 min, each ±20 %. After `maxRetries` failed retries (the
//   original attempt + 3 retries all failed) or an unrecoverable error, the engine gives up
//   and escalates (give-up.ts). The random source is injected so tests are deterministic.

/** A source of numbers in [0, 1), like Math.random. */
export type Random = () => number;

export interface RetryPolicy {
  baseMs: number;
  factor: number;
  maxMs: number;
  /** Fraction of the delay added or removed at random (0.2 = ±20 %). */
  jitter: number;
  /** Retries after the first attempt; the failure after the last retry gives up. */
  maxRetries: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 30_000,
  factor: 2,
  maxMs: 30 * 60_000,
  jitter: 0.2,
  maxRetries: 3,
};

/**
 * Delay before retry number `retriesSoFar + 1`. `retriesSoFar` is the task's retry_count when
 * it fails (0 after the first attempt). random() = 0.5 gives the exact exponential value.
 */
export function backoffMs(
  retriesSoFar: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: Random = Math.random,
): number {
  const exponent = Math.max(0, retriesSoFar);
  const raw = Math.min(policy.maxMs, policy.baseMs * policy.factor ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(raw * (1 + policy.jitter * (2 * r - 1)));
}

/** The delay before each retry the policy allows: [n] is the one before retry n + 1. */
export function retryDelaysMs(
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: Random = Math.random,
): number[] {
  return Array.from({ length: policy.maxRetries }, (_, n) => backoffMs(n, policy, random));
}

/** Whether a failure ends the task for good: unrecoverable, or no retries left. */
export function shouldGiveUp(
  retriesSoFar: number,
  recoverable: boolean,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): boolean {
  return !recoverable || retriesSoFar >= policy.maxRetries;
}
