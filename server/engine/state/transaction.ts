import type { EngineContext, Tx } from "../context";

/** Generous enough for a burst of concurrent commands queueing for the pool and row locks. */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

/**
 * Runs one engine command in one database transaction: everything it writes commits together
 * or not at all. `at` is read once from the injected clock, so a command has one timestamp.
 */
export function inTransaction<T>(ctx: EngineContext, fn: (tx: Tx, at: Date) => Promise<T>): Promise<T> {
  return ctx.prisma.$transaction(async (tx) => {
    const at = ctx.clock.now();
    await ctx.inEveryTransaction?.(tx, at);
    return fn(tx, at);
  }, TRANSACTION_OPTIONS);
}
