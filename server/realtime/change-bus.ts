import { EventEmitter } from "node:events";
import { type ChangeEvent, EVENTS_CHANNEL, parseEventsNotice } from "@/lib/events";
import type { Database, Unlisten } from "../db/client";
import type { Logger } from "../logger";

interface EventRow {
  id: bigint;
  type: string;
  task_id: string | null;
  version: number | null;
  queue: string | null;
  from_queue: string | null;
  at: Date;
}

function toChangeEvent(row: EventRow): ChangeEvent {
  return {
    id: row.id.toString(),
    type: row.type,
    taskId: row.task_id,
    version: row.version,
    queue: row.queue,
    ...(row.from_queue ? { fromQueue: row.from_queue } : {}),
    at: row.at.toISOString(),
  };
}

/**
 * Committed changes from every instance: each transaction that writes events sends one NOTIFY
 * at commit with their ids (tracking/events.ts), every server process LISTENs and reads those
 * rows, so a socket on any instance hears every change, in commit order.
 */
export class ChangeBus {
  private readonly emitter = new EventEmitter();
  private unlisten: Unlisten | undefined;
  /** Notices are read one after the other, so events go out in the order they were heard. */
  private reading: Promise<void> = Promise.resolve();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  async start(db: Database, logger: Logger): Promise<void> {
    this.unlisten = await db.listen(EVENTS_CHANNEL, (payload) => {
      const notice = parseEventsNotice(payload);
      if (!notice) {
        logger.warn({ payload }, "ignored a malformed change notification");
        return;
      }
      this.reading = this.reading.then(async () => {
        try {
          const rows = await db.prisma.$queryRaw<EventRow[]>`
            SELECT id, type, task_id, version, queue, from_queue, at FROM events
            WHERE id = ANY(${notice.ids.map(String)}::bigint[]) ORDER BY id`;
          for (const row of rows) this.emitter.emit("change", toChangeEvent(row));
        } catch (error) {
          logger.warn({ err: error, ids: notice.ids }, "could not read notified events");
        }
      });
    });
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.emitter.on("change", listener);
    return () => this.emitter.off("change", listener);
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
    await this.reading;
    this.emitter.removeAllListeners();
  }
}
