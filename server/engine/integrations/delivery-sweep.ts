import { randomBytes } from "node:crypto";
import type { SeedTask } from "@/lib/seed-format";
import type { Escalation, WebhookSubscription } from "../../db/generated/client";
import type { EngineContext, Tx } from "../context";
import { SKILL_EXECUTOR_SUBSCRIPTION_KIND } from "../execution/skill-executors";
import { loadSeedTasks } from "../format/seed-format";
import { inTransaction } from "../state/transaction";
import { isEscalationRaised, matchesAny, webhookTypeOf } from "./event-types";
import { clientIntakeMessage, type EventFacts, webhookMessage } from "./messages";

// The outbox reader: turns committed events (the `events` table, written by the one door in
// the change's transaction) into webhook deliveries, once across all server instances.
//
// - One sweep at a time: its transaction takes pg_try_advisory_xact_lock; an instance that does
//   not get it skips the round (another is sweeping). Deliveries are also unique per
//   (subscription, event), so even a second sweep could not send an event twice.
// - A cursor (webhook_cursors) remembers the last event id read. Event ids come from a sequence,
//   so a transaction that took id 10 may commit after one that took id 11: ids skipped over are
//   kept as "gaps" and re-read on later sweeps until they appear or GAP_TIMEOUT_MS passes (their
//   transaction rolled back; transactions time out after 30 s).
// - A subscription only gets events after the one that was newest when it was made.

export const DELIVERY_SWEEP_LOCK_KEY = 7_261_101;
export const DELIVERY_CURSOR = "outbound";
const CURSOR = DELIVERY_CURSOR;
export const GAP_TIMEOUT_MS = 5 * 60_000;
const MAX_GAPS = 1_000;

/** An id range [from, to] not seen yet, and when it was first skipped (ms). */
type Gap = [from: string, to: string, since: number];

export interface SweepResult {
  /** False when another instance held the sweep lock: nothing was done. */
  ran: boolean;
  events: number;
  deliveries: number;
  /** More events wait (the batch was full). */
  more: boolean;
}

export function newMessageId(): string {
  return `msg_${randomBytes(16).toString("hex")}`;
}

export function parseGaps(value: unknown): Gap[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (g): g is Gap =>
      Array.isArray(g) &&
      g.length === 3 &&
      typeof g[0] === "string" &&
      typeof g[1] === "string" &&
      typeof g[2] === "number",
  );
}

/** Removes the ids seen from the gap ranges (splitting a range around an id). */
function fillGaps(gaps: Gap[], seen: readonly bigint[]): Gap[] {
  let result = gaps;
  for (const id of seen) {
    result = result.flatMap(([from, to, since]): Gap[] => {
      const lo = BigInt(from);
      const hi = BigInt(to);
      if (id < lo || id > hi) return [[from, to, since]];
      const parts: Gap[] = [];
      if (id > lo) parts.push([from, (id - 1n).toString(), since]);
      if (id < hi) parts.push([(id + 1n).toString(), to, since]);
      return parts;
    });
  }
  return result;
}

/** Ranges of ids in (after, upTo] missing from the sorted `ids`. */
function missingRanges(after: bigint, upTo: bigint, ids: readonly bigint[], since: number): Gap[] {
  const gaps: Gap[] = [];
  let expected = after + 1n;
  for (const id of ids) {
    if (id > upTo) break;
    if (id > expected) gaps.push([expected.toString(), (id - 1n).toString(), since]);
    if (id >= expected) expected = id + 1n;
  }
  return gaps;
}

function isClientIntake(sub: WebhookSubscription): boolean {
  return sub.kind === "client_intake";
}

interface Planned {
  subscription: WebhookSubscription;
  event: EventFacts;
  messageType: string;
}

/** Which subscriptions get which event (before loading the tasks). */
function plan(events: EventFacts[], subscriptions: WebhookSubscription[]): Planned[] {
  const planned: Planned[] = [];
  for (const event of events) {
    for (const subscription of subscriptions) {
      if (event.id <= subscription.sinceEventId) continue;
      if (isClientIntake(subscription)) {
        if (event.type === "task.completed")
          planned.push({ subscription, event, messageType: "task.completed" });
        else if (isEscalationRaised(event.type))
          planned.push({ subscription, event, messageType: "task.escalated" });
      } else if (matchesAny(subscription.eventTypes, event.type)) {
        planned.push({ subscription, event, messageType: event.type });
      }
    }
  }
  return planned;
}

async function createDeliveries(
  tx: Tx,
  at: Date,
  events: EventFacts[],
  subscriptions: WebhookSubscription[],
) {
  const planned = plan(events, subscriptions);
  if (planned.length === 0) return 0;

  const escalationIds = new Set<string>();
  for (const { event } of planned) {
    const id = (event.payload as { escalation_id?: unknown } | null)?.escalation_id;
    if (event.type.startsWith("escalation.") && typeof id === "string") escalationIds.add(id);
  }
  const taskIds = planned.flatMap(({ event }) => (event.taskId ? [event.taskId] : []));
  const tasks = new Map<string, SeedTask>(
    (await loadSeedTasks(tx, [...new Set(taskIds)])).map((t) => [t.id, t]),
  );
  const escalations = new Map<string, Escalation>(
    escalationIds.size === 0
      ? []
      : (await tx.escalation.findMany({ where: { id: { in: [...escalationIds] } } })).map((e) => [e.id, e]),
  );

  const data = planned.flatMap(({ subscription, event, messageType }) => {
    const task = event.taskId ? (tasks.get(event.taskId) ?? null) : null;
    const escalationId = (event.payload as { escalation_id?: unknown } | null)?.escalation_id;
    const escalation = typeof escalationId === "string" ? (escalations.get(escalationId) ?? null) : null;
    let message: Record<string, unknown>;
    if (isClientIntake(subscription)) {
      // client-intake only hears about the tasks it asked for.
      if (!task?.intake_id) return [];
      message = clientIntakeMessage(
        messageType as "task.completed" | "task.escalated",
        event,
        task,
        escalation,
      );
    } else {
      message = webhookMessage(event, task, escalation);
    }
    return [
      {
        id: newMessageId(),
        subscriptionId: subscription.id,
        eventId: event.id,
        eventType: messageType,
        body: JSON.stringify(message),
        status: "pending",
        attempts: 0,
        nextAttemptAt: at,
        createdAt: at,
      },
    ];
  });
  if (data.length === 0) return 0;
  const { count } = await tx.webhookDelivery.createMany({ data, skipDuplicates: true });
  return count;
}

/**
 * Reads the events committed since the last sweep and creates a delivery for each subscription
 * that wants one. Runs once across instances (advisory lock); returns ran=false when another
 * instance is sweeping.
 */
export function sweepEventsToDeliveries(
  ctx: EngineContext,
  options: { batch?: number } = {},
): Promise<SweepResult> {
  const batch = options.batch ?? 500;
  return inTransaction(ctx, async (tx, at) => {
    const [lock] = await tx.$queryRaw<
      { ok: boolean }[]
    >`SELECT pg_try_advisory_xact_lock(${DELIVERY_SWEEP_LOCK_KEY}::bigint) AS ok`;
    if (!lock?.ok) return { ran: false, events: 0, deliveries: 0, more: false };

    // Skill executors' channels carry pushes only (execution/webhook-push.ts), never events.
    const subscriptions = await tx.webhookSubscription.findMany({
      where: { enabled: true, kind: { not: SKILL_EXECUTOR_SUBSCRIPTION_KIND } },
    });
    const cursor = await tx.webhookCursor.findUnique({ where: { name: CURSOR } });
    const [{ max } = { max: null }] = await tx.$queryRaw<{ max: bigint | null }[]>`
      SELECT max(id) AS max FROM events`;
    const newest = max ?? 0n;

    if (subscriptions.length === 0) {
      // Nobody listens: skip ahead. A subscription made later starts after its own since_event_id.
      await tx.webhookCursor.upsert({
        where: { name: CURSOR },
        create: { name: CURSOR, scannedTo: newest, gaps: [], updatedAt: at },
        update: { scannedTo: newest, gaps: [], updatedAt: at },
      });
      return { ran: true, events: 0, deliveries: 0, more: false };
    }
    if (!cursor) {
      // Start at the oldest subscription's starting point (bigints: no Math.min).
      let start = newest;
      for (const s of subscriptions) if (s.sinceEventId < start) start = s.sinceEventId;
      await tx.webhookCursor.create({ data: { name: CURSOR, scannedTo: start, gaps: [], updatedAt: at } });
      return sweepFrom(tx, at, start, [], subscriptions, batch);
    }
    return sweepFrom(tx, at, cursor.scannedTo, parseGaps(cursor.gaps), subscriptions, batch);
  });
}

async function sweepFrom(
  tx: Tx,
  at: Date,
  scannedTo: bigint,
  previousGaps: Gap[],
  subscriptions: WebhookSubscription[],
  batch: number,
): Promise<SweepResult> {
  const now = at.getTime();
  const gaps = previousGaps.filter(([, , since]) => now - since < GAP_TIMEOUT_MS);
  const rows = await tx.event.findMany({
    where: {
      OR: [
        { id: { gt: scannedTo } },
        ...gaps.map(([from, to]) => ({ id: { gte: BigInt(from), lte: BigInt(to) } })),
      ],
    },
    orderBy: { id: "asc" },
    take: batch,
    select: { id: true, at: true, type: true, taskId: true, version: true, payload: true },
  });
  const events: EventFacts[] = rows.map((row) => ({
    id: row.id,
    at: row.at,
    action: row.type,
    type: webhookTypeOf({ type: row.type, payload: row.payload }),
    taskId: row.taskId,
    version: row.version,
    payload: row.payload,
  }));
  const deliveries = await createDeliveries(tx, at, events, subscriptions);

  const ids = rows.map((r) => r.id);
  const fresh = ids.filter((id) => id > scannedTo);
  const last = fresh.at(-1) ?? scannedTo;
  const nextGaps = [...fillGaps(gaps, ids), ...missingRanges(scannedTo, last, fresh, now)].slice(-MAX_GAPS);
  await tx.webhookCursor.update({
    where: { name: CURSOR },
    data: { scannedTo: last, gaps: nextGaps, updatedAt: at },
  });
  return { ran: true, events: rows.length, deliveries, more: rows.length === batch };
}
