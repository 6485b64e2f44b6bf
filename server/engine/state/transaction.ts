import type { EngineContext, Tx } from "../context";

/** Generous enough for a burst of concurrent commands queueing for the pool and row locks. */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

/** Transactions that send their events' one NOTIFY just before they commit (see below). */
const flushedAtEnd = new WeakSet<Tx>();

/**
 * Runs one engine command in one database transaction: everything it writes commits together
 * or not at all. `at` is read once from the injected clock, so a command has one timestamp.
 * Its events' ids, collected by a trigger, go out in one NOTIFY sent last (orch_flush_events);
 * PostgreSQL delivers it only if the transaction commits.
 */
export function inTransaction<T>(ctx: EngineContext, fn: (tx: Tx, at: Date) => Promise<T>): Promise<T> {
  return ctx.prisma.$transaction(async (tx) => {
    flushedAtEnd.add(tx);
    const result = await fn(tx, ctx.clock.now());
    await tx.$queryRaw`SELECT orch_flush_events()`;
    return result;
  }, TRANSACTION_OPTIONS);
}

/** Whether `tx` is an engine transaction that sends its NOTIFY when it ends. */
export function flushesAtEnd(tx: Tx): boolean {
  return flushedAtEnd.has(tx);
}
