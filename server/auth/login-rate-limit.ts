import type { PrismaClient } from "../db/client";
import type { Clock } from "../engine/clock";

/**
 * Failed-login throttling in fixed windows, counted in PostgreSQL rather than in memory: with
 * several server processes behind a load balancer, a password guesser gets the same budget
 * however its requests are spread. One upsert per attempt keeps the count atomic.
 */
export class LoginRateLimiter {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts an attempt; returns the seconds to wait when over the limit, else 0. */
  async hit(key: string): Promise<number> {
    const now = this.clock.now();
    const expired = new Date(now.getTime() - this.windowMs);
    // In ON CONFLICT ... SET, every expression reads the row as it was, so the two CASEs agree.
    const [window] = await this.prisma.$queryRaw<{ window_start: Date; attempts: number }[]>`
      INSERT INTO login_rate_windows (key, window_start, attempts) VALUES (${key}, ${now}, 1)
      ON CONFLICT (key) DO UPDATE SET
        window_start = CASE WHEN login_rate_windows.window_start <= ${expired}
          THEN EXCLUDED.window_start ELSE login_rate_windows.window_start END,
        attempts = CASE WHEN login_rate_windows.window_start <= ${expired}
          THEN 1 ELSE login_rate_windows.attempts + 1 END
      RETURNING window_start, attempts`;
    if (window!.attempts === 1) await this.forgetExpired(expired);
    if (window!.attempts <= this.limit) return 0;
    return Math.max(1, Math.ceil((window!.window_start.getTime() + this.windowMs - now.getTime()) / 1000));
  }

  /** A successful login starts the account's budget afresh. */
  async reset(key: string): Promise<void> {
    await this.prisma.loginRateWindow.deleteMany({ where: { key } });
  }

  /** Windows that ran out are kept only until the next fresh window opens somewhere. */
  private async forgetExpired(expired: Date): Promise<void> {
    await this.prisma.loginRateWindow.deleteMany({ where: { windowStart: { lte: expired } } });
  }
}

const LOGIN_WINDOW_MS = 5 * 60_000;

export function loginRateLimiter(prisma: PrismaClient, clock: Clock): LoginRateLimiter {
  return new LoginRateLimiter(prisma, clock, Number(process.env.LOGIN_RATE_LIMIT ?? 10), LOGIN_WINDOW_MS);
}
