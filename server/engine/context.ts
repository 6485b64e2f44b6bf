import type { ActorRole } from "@/lib/states";
import type { PrismaClient } from "../db/client";
import type { Prisma } from "../db/generated/client";
import type { Clock } from "./clock";

/** What every engine command needs; built once by the server, by tests with a fake clock. */
export interface EngineContext {
  prisma: PrismaClient;
  clock: Clock;
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
