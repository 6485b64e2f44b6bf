import { EventEmitter } from "node:events";
import { type ChangeEvent, EVENTS_CHANNEL } from "@/lib/events";
import type { Database, Unlisten } from "../db/client";
import type { Logger } from "../logger";

/**
 * Committed changes from every instance: each engine command NOTIFYs in its transaction, and
 * every server process LISTENs, so a socket on any instance hears every change.
 */
export class ChangeBus {
  private readonly emitter = new EventEmitter();
  private unlisten: Unlisten | undefined;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  async start(db: Database, logger: Logger): Promise<void> {
    this.unlisten = await db.listen(
      EVENTS_CHANNEL,
      (payload) => {
        try {
          this.emitter.emit("change", JSON.parse(payload) as ChangeEvent);
        } catch (error) {
          logger.warn({ err: error, payload }, "ignored a malformed change notification");
        }
      },
      { onGap: () => this.emitter.emit("gap") },
    );
  }

  /** Changes may have been missed (the LISTEN connection was lost and healed): resynchronise. */
  onGap(listener: () => void): () => void {
    this.emitter.on("gap", listener);
    return () => this.emitter.off("gap", listener);
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.emitter.on("change", listener);
    return () => this.emitter.off("change", listener);
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
    this.emitter.removeAllListeners();
  }
}
