import type { PrismaClient } from "../../db/client";
import type { EngineContext, Tx } from "../context";

/**
 * An engine context over a transaction that is already open, at its timestamp: a command built
 * on `inTransaction(ctx, …)` (setScore, moveTask) then runs inside the caller's transaction
 * instead of opening its own, so an inbox action and the task change it makes commit together.
 * `$transaction(fn)` just calls `fn(tx)`; everything else is the transaction client itself.
 */
export function withinTransaction(tx: Tx, at: Date): EngineContext {
  const joined = (fn: (client: Tx) => unknown) => fn(tx);
  const prisma = new Proxy(tx, {
    get(target, property) {
      if (property === "$transaction") return joined;
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  }) as unknown as PrismaClient;
  return { prisma, clock: { now: () => at } };
}
