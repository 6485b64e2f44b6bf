// A dispatcher process for the multi-process race test (dispatch-race.test.ts):
//   node --import tsx server/engine/execution/testing/dispatch-racer.ts <database-url>
// Runs dispatch rounds on the database until no task is QUEUED any more — after a round that
// scheduled nothing, the next one waits for a committed change (a NOTIFY on the events channel,
// or a short fallback so a missed one cannot stall it) — then prints
// {"pid", "rounds", "scheduled"} as one JSON line and exits. No deadline: the test's own
// generous limit decides when it has taken too long.
import { EVENTS_CHANNEL } from "@/lib/events";
import { openDatabase } from "../../../db/client";
import { systemClock } from "../../clock";
import { dispatchOnce } from "../dispatcher";

const url = process.argv[2];
if (!url) {
  console.error("usage: dispatch-racer.ts <database-url>");
  process.exit(2);
}

const db = await openDatabase({ url, poolSize: 2 });
const ctx = { prisma: db.prisma, sql: db.sql, clock: systemClock };
let wake: (() => void) | null = null;
const unlisten = await db.listen(EVENTS_CHANNEL, () => wake?.());
const changed = () =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 200);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

let rounds = 0;
let scheduled = 0;
try {
  for (;;) {
    const next = changed();
    const result = await dispatchOnce(ctx);
    rounds += 1;
    scheduled += result.scheduled.length;
    if (result.scheduled.length === 0) {
      const waiting = await db.prisma.task.count({ where: { state: "QUEUED" } });
      if (waiting === 0) break;
      await next;
    }
  }
  console.log(JSON.stringify({ pid: process.pid, rounds, scheduled }));
} finally {
  await unlisten();
  await db.close();
}
