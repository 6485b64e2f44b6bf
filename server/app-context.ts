import type { Database } from "./db/client";
import type { EngineContext } from "./engine/context";
import type { ChangeBus } from "./realtime/change-bus";

/**
 * What the one server process shares with Next's route handlers. Route handlers run in Next's
 * bundle with their own copies of modules, so module-level singletons are not shared: the
 * server puts the context on globalThis under a registered symbol instead.
 */
export interface AppContext {
  db: Database;
  engine: EngineContext;
  changes: ChangeBus;
  startedAt: Date;
}

const KEY = Symbol.for("task-orchestrator.app-context");

type GlobalWithContext = typeof globalThis & { [KEY]?: AppContext };

export function setAppContext(context: AppContext | undefined): void {
  (globalThis as GlobalWithContext)[KEY] = context;
}

export function getAppContext(): AppContext {
  const context = (globalThis as GlobalWithContext)[KEY];
  if (!context) throw new Error("The app context is not set: start the app with server/main.ts");
  return context;
}
