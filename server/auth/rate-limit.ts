/**
 * Fixed-window counters per key, in this process's memory: the per-client API limit, checked on
 * every request, where a database round trip would cost more than it saves. With several
 * instances each counts its own share, which keeps a runaway client within a small multiple of
 * the limit. Logins, where the budget matters, are counted in the database (login-rate-limit.ts).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts a hit; returns the seconds to wait when over the limit, else 0. */
  hit(key: string, now = Date.now()): number {
    const current = this.windows.get(key);
    if (!current || now - current.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.prune(now);
      this.windows.set(key, { start: now, count: 1 });
      return 0;
    }
    current.count++;
    return current.count > this.limit ? Math.ceil((current.start + this.windowMs - now) / 1000) : 0;
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}

const KEY = Symbol.for("task-orchestrator.rate-limiters");
type Limiters = { api: RateLimiter };

/** One set per process, shared by every route bundle. */
export function rateLimiters(): Limiters {
  const g = globalThis as typeof globalThis & { [KEY]?: Limiters };
  g[KEY] ??= {
    api: new RateLimiter(Number(process.env.API_RATE_LIMIT_PER_MINUTE ?? 1200), 60_000),
  };
  return g[KEY];
}
