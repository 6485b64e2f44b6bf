import { EventEmitter } from "node:events";
import { type ChangeEvent, EVENTS_CHANNEL, type EventsNotice, parseEventsNotice } from "@/lib/events";
import type { Database, Unlisten } from "../db/client";
import type { Logger } from "../logger";

interface EventRow {
  id: bigint | string;
  type: string;
  task_id: string | null;
  version: number | null;
  queue: string | null;
  from_queue: string | null;
  at: Date;
}

function toChangeEvent(row: EventRow): ChangeEvent {
  return {
    id: String(row.id),
    type: row.type,
    taskId: row.task_id,
    version: row.version,
    queue: row.queue,
    ...(row.from_queue ? { fromQueue: row.from_queue } : {}),
    at: row.at.toISOString(),
  };
}

/** The notified events in the order their ids were heard (commit order), in one query. */
const READ_EVENTS = `
  SELECT e.id, e.type, e.task_id, e.version, e.queue, e.from_queue, e.at
  FROM unnest($1::bigint[]) WITH ORDINALITY AS heard(id, n) JOIN events e ON e.id = heard.id
  ORDER BY heard.n`;

/**
 * Committed changes from every instance: each transaction that writes events sends one NOTIFY
 * at commit with their ids (tracking/events.ts), every server process LISTENs and reads those
 * rows, so a socket on any instance hears every change, in commit order.
 *
 * The rows are read in batches: notices heard while a read is running wait for it and are then
 * read together in one query (straight through the driver), and each batch goes to the batch
 * subscribers (the sockets) as one message. Under load a batch grows instead of a queue of
 * reads; when quiet, each notice is read at once: no timer, no debounce.
 */
export class ChangeBus {
  private readonly emitter = new EventEmitter();
  private unlisten: Unlisten | undefined;
  /** Ids heard and not read yet, in the order heard. */
  private pending: number[] = [];
  /** The running read loop, if any (at most one, so batches go out in the order heard). */
  private draining: Promise<void> | null = null;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  async start(db: Database, logger: Logger): Promise<void> {
    this.unlisten = await db.listen(
      EVENTS_CHANNEL,
      (payload) => {
        const notice = parseEventsNotice(payload);
        if (!notice) {
          logger.warn({ payload }, "ignored a malformed change notification");
          return;
        }
        this.emitter.emit("notice", notice);
        this.pending.push(...notice.ids);
        this.draining ??= this.drain(db, logger).finally(() => {
          this.draining = null;
        });
      },
      { onGap: () => this.emitter.emit("gap") },
    );
  }

  private async drain(db: Database, logger: Logger): Promise<void> {
    while (this.pending.length > 0) {
      const ids = this.pending;
      this.pending = [];
      let events: ChangeEvent[];
      try {
        events = (await db.sql<EventRow>(READ_EVENTS, [ids.map(String)])).map(toChangeEvent);
      } catch (error) {
        logger.warn({ err: error, ids }, "could not read notified events");
        // Those changes were heard but not read (the database went away): a gap as well.
        this.emitter.emit("gap");
        continue;
      }
      if (events.length === 0) continue;
      this.emitter.emit("batch", events);
      for (const event of events) this.emitter.emit("change", event);
    }
  }

  /** Changes may have been missed (the LISTEN connection was lost and healed): resynchronise. */
  onGap(listener: () => void): () => void {
    this.emitter.on("gap", listener);
    return () => this.emitter.off("gap", listener);
  }

  /** Each transaction's notification as heard, before its rows are read: which kinds of change. */
  subscribeNotices(listener: (notice: EventsNotice) => void): () => void {
    this.emitter.on("notice", listener);
    return () => this.emitter.off("notice", listener);
  }

  /** Every committed change, one call each. */
  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.emitter.on("change", listener);
    return () => this.emitter.off("change", listener);
  }

  /** Committed changes as they are read: one call per batch (see above), in commit order. */
  subscribeBatches(listener: (events: ChangeEvent[]) => void): () => void {
    this.emitter.on("batch", listener);
    return () => this.emitter.off("batch", listener);
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
    await this.draining;
    this.emitter.removeAllListeners();
  }
}
