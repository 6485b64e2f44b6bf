import type { ActorRole } from "@/lib/states";
import type { PrismaClient, SqlQuery } from "../db/client";
import type { Prisma } from "../db/generated/client";
import type { Clock } from "./clock";

/** What every engine command needs; built once by the server, by tests with a fake clock. */
export interface EngineContext {
  prisma: PrismaClient;
  clock: Clock;
  /**
   * The same database through the driver, without Prisma: the hot path's one-statement calls
   * use it when given (execution/hot-path.ts); without it they go through Prisma's raw query.
   */
  sql?: SqlQuery;
  /**
   * Runs first in every transaction of a command (state/transaction.ts), so that what it writes
   * commits with the command or not at all: the HTTP layer records an Idempotency-Key this way.
   */
  inEveryTransaction?: (tx: Tx, at: Date) => Promise<void>;
  /**
   * A transaction that frees a slot hands it at once to the queue's next eligible task
   * (execution/hot-path.ts). On in a server whose engine dispatches; off where a caller
   * drives dispatch rounds itself (tests of the dispatcher, a frozen board).
   */
  slotHandover?: boolean;
}

export type Tx = Prisma.TransactionClient;

/** Who is acting: a person, an API key, an executor or the engine itself. */
export interface Actor {
  /** Written to metadata.updated_by and the audit log, e.g. "user:marie" or "task-orchestrator/execution". */
  id: string;
  role: ActorRole | "admin";
}

export const SYSTEM_ACTOR: Actor = { id: "task-orchestrator/execution", role: "system" };
