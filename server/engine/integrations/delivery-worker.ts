import { type Clock, systemClock } from "../clock";
import type { EngineContext } from "../context";
import { inTransaction } from "../state/transaction";
import { recordAttempt } from "./delivery-attempts";
import { signMessage } from "./signing";

// Sends the pending webhook deliveries: claims due rows (FOR UPDATE SKIP LOCKED, so several
// instances never send one attempt twice), POSTs each signed body with a timeout and bounded
// concurrency, and records the outcome: success (2xx), or a failure retried with exponential
// backoff and jitter until the last attempt. It runs beside the engine, never inside an engine
// transaction: a slow or failing receiver costs this worker time, not the engine.

export interface DeliveryPolicy {
  /** Attempts before a delivery is given up (status failed). Default 8. */
  maxAttempts: number;
  /** Wait after the first failed attempt; doubled after each further one. Default 30 s. */
  backoffBaseMs: number;
  /** Longest wait between attempts. Default 1 h. */
  backoffMaxMs: number;
  /** Per-attempt timeout (connect + response headers). Default 5 s. */
  timeoutMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 8,
  backoffBaseMs: 30_000,
  backoffMaxMs: 3_600_000,
  timeoutMs: 5_000,
};

/** [0, 1): the jitter's source, injected so tests can pin it. */
export type Random = () => number;

/** Wait after the `attempt`-th failed attempt (1-based): base × 2^(attempt-1), capped, ±20 % jitter. */
export function backoffDelay(policy: DeliveryPolicy, attempt: number, random: Random = Math.random): number {
  const raw = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  responseMs: number;
  /** The first RESPONSE_BODY_LIMIT bytes of the answer, as text; null when no answer came. */
  responseBody: string | null;
}

/** How much of a receiver's answer is kept with an attempt. */
export const RESPONSE_BODY_LIMIT = 2_048;

/** Reads at most `limit` bytes of a body, then lets the connection go. */
async function readPrefix(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = Buffer.concat(chunks).subarray(0, limit);
  // PostgreSQL text cannot hold NUL; a cut multi-byte character decodes to U+FFFD.
  return bytes.toString("utf8").replaceAll("\u0000", "");
}

export interface SendInput {
  url: string;
  secret: string;
  messageId: string;
  body: string;
  /** The webhook-timestamp: wall time (receivers check it against theirs). */
  at: Date;
  timeoutMs: number;
  fetchImpl?: typeof fetch;
}

function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === "AbortError" || error.name === "TimeoutError")
      return `Timed out after ${timeoutMs} ms`;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message;
    return (detail ? `${error.message}: ${detail}` : error.message).slice(0, 500);
  }
  return String(error).slice(0, 500);
}

/** One signed POST. Success is a 2xx answer; redirects are not followed (a 3xx is a failure). */
export async function sendSigned(input: SendInput): Promise<AttemptResult> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), input.timeoutMs);
  try {
    const response = await (input.fetchImpl ?? fetch)(input.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "task-orchestrator-webhooks/1",
        ...signMessage(input.secret, input.messageId, input.at, input.body),
      },
      body: input.body,
      redirect: "manual",
      signal: controller.signal,
    });
    const responseMs = Math.round(performance.now() - started);
    // Kept for the attempt log; a body that does not come within the timeout is left out.
    const responseBody = await readPrefix(response.body, RESPONSE_BODY_LIMIT).catch(() => null);
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      statusCode: response.status,
      error: ok ? null : `HTTP ${response.status}`,
      responseMs,
      responseBody,
    };
  } catch (error) {
    return {
      ok: false,
      statusCode: null,
      error: describeError(error, input.timeoutMs),
      responseMs: Math.round(performance.now() - started),
      responseBody: null,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** How long a claimed delivery is held by its sender: past it, the worker may send it again. */
export function sendLeaseEnd(policy: DeliveryPolicy, now: Date): Date {
  return new Date(now.getTime() + policy.timeoutMs * 2 + 30_000);
}

export interface DeliveryWorkerOptions {
  policy?: Partial<DeliveryPolicy>;
  /** Deliveries sent at once. Default 4. */
  concurrency?: number;
  /** Deliveries claimed per round. Default 20. */
  batch?: number;
  random?: Random;
  /** Wall clock for webhook-timestamp (default the system clock; the engine clock may be fake in tests). */
  signingClock?: Clock;
  fetchImpl?: typeof fetch;
}

export interface RunResult {
  claimed: number;
  succeeded: number;
  retried: number;
  /** Deliveries given up after their last attempt. */
  failed: number;
}

interface Claimed {
  id: string;
  body: string;
  attempts: number;
  url: string;
  secret: string;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(lanes);
}

export class DeliveryWorker {
  readonly policy: DeliveryPolicy;
  private readonly concurrency: number;
  private readonly batch: number;
  private readonly random: Random;
  private readonly signingClock: Clock;

  constructor(
    private readonly ctx: EngineContext,
    private readonly options: DeliveryWorkerOptions = {},
  ) {
    this.policy = { ...DEFAULT_DELIVERY_POLICY, ...options.policy };
    this.concurrency = options.concurrency ?? 4;
    this.batch = options.batch ?? 20;
    this.random = options.random ?? Math.random;
    this.signingClock = options.signingClock ?? systemClock;
  }

  /**
   * Claims the due deliveries of enabled subscriptions and moves their next attempt past the
   * timeout (a lease: if this process dies mid-send, the delivery is due again then).
   */
  private async claim(): Promise<Claimed[]> {
    const now = this.ctx.clock.now();
    const leaseUntil = sendLeaseEnd(this.policy, now);
    return this.ctx.prisma.$queryRaw<Claimed[]>`
      WITH due AS (
        SELECT d.id FROM webhook_deliveries d
        JOIN webhook_subscriptions s ON s.id = d.subscription_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= ${now} AND s.enabled
        ORDER BY d.next_attempt_at, d.id
        LIMIT ${this.batch}
        FOR UPDATE OF d SKIP LOCKED
      )
      UPDATE webhook_deliveries d SET next_attempt_at = ${leaseUntil}
      FROM due, webhook_subscriptions s
      WHERE d.id = due.id AND s.id = d.subscription_id
      RETURNING d.id, d.body, d.attempts, s.url, s.secret`;
  }

  private async record(
    delivery: Claimed,
    startedAt: Date,
    result: AttemptResult,
  ): Promise<"succeeded" | "retried" | "failed"> {
    const attempts = delivery.attempts + 1;
    const outcome = result.ok ? "succeeded" : attempts >= this.policy.maxAttempts ? "failed" : "retried";
    await inTransaction(this.ctx, (tx, at) =>
      recordAttempt(tx, {
        deliveryId: delivery.id,
        attemptsBefore: delivery.attempts,
        trigger: "automatic",
        requestedBy: null,
        startedAt,
        at,
        result,
        status: outcome === "retried" ? "pending" : outcome,
        nextAttemptAt:
          outcome === "retried"
            ? new Date(at.getTime() + backoffDelay(this.policy, attempts, this.random))
            : null,
      }),
    );
    return outcome;
  }

  /** One round: claim what is due, send it (bounded concurrency), record each outcome. */
  async runOnce(): Promise<RunResult> {
    const claimed = await this.claim();
    const result: RunResult = { claimed: claimed.length, succeeded: 0, retried: 0, failed: 0 };
    await pool(claimed, this.concurrency, async (delivery) => {
      const startedAt = this.ctx.clock.now();
      const attempt = await sendSigned({
        url: delivery.url,
        secret: delivery.secret,
        messageId: delivery.id,
        body: delivery.body,
        at: this.signingClock.now(),
        timeoutMs: this.policy.timeoutMs,
        fetchImpl: this.options.fetchImpl,
      });
      result[await this.record(delivery, startedAt, attempt)] += 1;
    });
    return result;
  }

  /** True when a full batch was claimed (more may be due). */
  isFull(result: RunResult): boolean {
    return result.claimed >= this.batch;
  }
}
